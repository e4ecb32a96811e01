package org.metaopt.dl4j;

import java.util.Arrays;
import java.util.Map;
import org.metaopt.core.lopt.LearnedUpdate;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.GradientUpdater;

/**
 * One updater block's learned optimizer at run time. Each {@link #applyUpdater} reads the block's parameters and
 * gradient into metaopt's layout (permuting DL4J's column-major weights), loads the optimizer's state from DL4J's
 * updater view, takes one step of the learned optimizer, writes the new state back into the view and overwrites the
 * gradient with the update {@code Δ = p_before − p_after} (DL4J then applies {@code p −= Δ}). Reading the state from
 * the view every step is what makes a view restored by {@code ModelSerializer} (or assigned by DL4J) take effect.
 *
 * <p>View layout: the optimizer's {@code stateSize()} floats ({@link org.metaopt.core.lopt.StateArrays}), then zeros
 * (DL4J sizes the view per variable, see {@link LearnedUpdater#stateSize}). Buffers are allocated when attached; a
 * step allocates nothing of its own. Not thread-safe: DL4J calls it from the training thread.
 */
final class LearnedGradientUpdater implements GradientUpdater<LearnedUpdater> {
  private final LearnedUpdater config;
  private INDArray view;
  /** The first {@code state.length} floats of {@link #view}: where the optimizer's state lives. */
  private INDArray stateView;
  /** The optimizer, created when the configuration carries a layout; null before {@link LearnedUpdater#attach}. */
  private final LearnedUpdate optimizer;
  private final int n;
  /** The block's parameters, bound by {@link #bind}. */
  private INDArray params;
  private int[] map;
  private float[] p;
  private float[] before;
  private float[] g;
  private float[] scratch;
  private float[] state;

  LearnedGradientUpdater(LearnedUpdater config, INDArray view, boolean initialize) {
    this.config = config;
    this.optimizer = config.blockLayout() == null ? null : config.newOptimizer();
    this.n = optimizer == null ? 0 : config.blockLayout().size();
    if (optimizer != null) {
      this.state = new float[optimizer.stateSize()];
    }
    setView(view, initialize);
  }

  /** Binds the block's parameters (a contiguous view of {@code net.params()}) and its index map. */
  void bind(INDArray blockParams, int[] layoutMap) {
    if (optimizer == null) {
      throw new IllegalStateException("internal: " + config + " has no layout to bind parameters to");
    }
    if (blockParams.length() != n) {
      throw new IllegalStateException(config + " was attached for " + n + " parameters, but the block has "
          + blockParams.length() + " (layout mismatch; build a new network from the configuration and attach it)");
    }
    this.params = blockParams;
    this.map = layoutMap;
    this.p = new float[n];
    this.before = new float[n];
    this.g = new float[n];
    this.scratch = layoutMap == null ? null : new float[n];
  }

  /** Whether {@link #bind} has been called. */
  boolean bound() {
    return params != null;
  }

  private void setView(INDArray newView, boolean initialize) {
    if (optimizer != null && (newView == null || newView.length() < state.length)) {
      throw new IllegalStateException(config + " needs an updater view of at least " + state.length + " floats, got "
          + (newView == null ? "none" : newView.length()) + ": the network's layout does not match the one recorded"
          + " in its configuration");
    }
    this.view = newView;
    this.stateView = optimizer == null ? null
        : newView.reshape(newView.length()).get(NDArrayIndex.interval(0, state.length));
    if (initialize && optimizer != null) {
      float[] fresh = new float[Math.toIntExact(newView.length())];
      optimizer.reset();
      optimizer.saveState(fresh, 0);
      NdArrays.write(fresh, newView, "updater state");
    }
  }

  @Override
  public LearnedUpdater getConfig() {
    return config;
  }

  @Override
  public void setState(Map<String, INDArray> stateMap, boolean initialize) {
    setView(stateMap == null ? null : stateMap.get("state"), initialize);
  }

  @Override
  public Map<String, INDArray> getState() {
    return view == null ? Map.of() : Map.of("state", view);
  }

  @Override
  public void setStateViewArray(INDArray viewArray, long[] gradientShape, char gradientOrder, boolean initialize) {
    setView(viewArray, initialize);
  }

  @Override
  public void applyUpdater(INDArray gradient, int iteration, int epoch) {
    if (params == null) {
      throw new IllegalStateException(config.architecture() + " (LearnedUpdater, version " + config.version()
          + ") is not attached to this network: call LearnedUpdater.attach(net) after net.init() and after "
          + "ModelSerializer.restoreMultiLayerNetwork(...), before fit(...). A learned optimizer needs the "
          + "parameters' tensor shapes and values, which DL4J does not give an updater");
    }
    if (gradient.length() != n) {
      throw new IllegalStateException(config + " got a gradient of " + gradient.length() + " values for a block of "
          + n + " parameters (layout mismatch; attach the network this configuration was built for)");
    }
    NdArrays.gather(params, map, scratch, p, "parameters");
    System.arraycopy(p, 0, before, 0, n);
    NdArrays.gather(gradient, map, scratch, g, "gradient");
    NdArrays.read(stateView, state, "updater state");
    optimizer.loadState(state, 0);
    // DL4J runs updaters inside its workspaces; the optimizer's own ND4J arrays (celo2's Newton–Schulz on large
    // matrices keeps them across steps) must live outside them
    try (MemoryWorkspace outside = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
      optimizer.step(p, g);
    }
    optimizer.saveState(state, 0);
    NdArrays.write(state, stateView, "updater state");
    for (int k = 0; k < n; k++) {
      p[k] = before[k] - p[k];
    }
    NdArrays.scatter(p, map, scratch, gradient, "gradient");
  }

  @Override
  public String toString() {
    return "LearnedGradientUpdater[" + config + (params == null ? ", unbound" : ", bound") + ", state "
        + (state == null ? 0 : state.length) + " of " + (view == null ? 0 : view.length()) + " view floats"
        + (state == null ? "" : ", t=" + Arrays.toString(Arrays.copyOf(state, 2))) + "]";
  }
}
