package org.metaopt.core.lopt;

import org.metaopt.core.kernel.FastMath;

import java.util.Map;
import java.util.Set;
import org.metaopt.core.tensor.ParamLayout;

/**
 * The {@code step-size} architecture of seed 2 (Wang et al. 2021): plain gradient descent
 * {@code w -= eta * g} whose one meta-parameter is {@code log eta}, so that eta stays positive.
 *
 * <p>θ layout: {@code log_step_size[1]}. Initial θ is {@code log(initialStepSize)} (default 0.1) for every seed:
 * the init is deterministic. {@code create} clamps {@code log eta} to [-30, 5] (eta at most ~148) so the update
 * stays finite for gradients up to ~1e36; non-finite gradient entries are treated as 0. Immutable and
 * thread-safe; the optimizers it creates are not.
 */
public final class StepSizeLopt implements LearnedOptimizer {
  /** The name in configs and version files. */
  public static final String ARCHITECTURE = "step-size";
  /** Default initial step size (seed 2's eta0). */
  public static final double DEFAULT_INITIAL_STEP_SIZE = 0.1;
  static final Set<String> KEYS = Set.of("initialStepSize");
  private static final ParamLayout LAYOUT = ParamLayout.vector("log_step_size", 1);

  private final double initialStepSize;

  /** @param initialStepSize eta of the initial θ, finite and {@code > 0} */
  public StepSizeLopt(double initialStepSize) {
    if (!(initialStepSize > 0) || !Double.isFinite(initialStepSize)) {
      throw new IllegalArgumentException("initialStepSize must be finite and > 0, got " + initialStepSize);
    }
    this.initialStepSize = initialStepSize;
  }

  /** From hyperparameters ({@code initialStepSize}). */
  public static StepSizeLopt fromHyperparameters(Map<String, Object> h) {
    Hyper.requireKnown(ARCHITECTURE, h, KEYS);
    return new StepSizeLopt(Hyper.doubleValue(ARCHITECTURE, h, "initialStepSize", DEFAULT_INITIAL_STEP_SIZE, 0,
        100));
  }

  @Override
  public String architecture() {
    return ARCHITECTURE;
  }

  @Override
  public Map<String, Object> hyperparameters() {
    return Map.of("initialStepSize", initialStepSize);
  }

  @Override
  public ParamLayout metaLayout() {
    return LAYOUT;
  }

  @Override
  public float[] initialMetaParams(long seed) {
    return new float[] {(float) Math.log(initialStepSize)};
  }

  @Override
  public LearnedUpdate create(float[] theta, ParamLayout taskLayout, int totalSteps) {
    Hyper.checkTheta(ARCHITECTURE, theta, 1);
    return new Gd(stepSize(theta), taskLayout.size());
  }

  private static float stepSize(float[] theta) {
    return (float) Math.exp(Math.max(-30f, Math.min(5f, theta[0])));
  }

  /** Gradient descent at a fixed step size; stateless apart from its size. Not thread-safe by contract. */
  private static final class Gd implements LearnedUpdate {
    private static final StateArrays STATE = StateArrays.of();
    private float eta;
    private final int size;

    Gd(float eta, int size) {
      this.eta = eta;
      this.size = size;
    }

    @Override
    public void setMetaParams(float[] theta) {
      Hyper.checkTheta(ARCHITECTURE, theta, 1);
      eta = stepSize(theta);
    }

    @Override
    public void step(float[] params, float[] grad) {
      LoptChecks.sizes(ARCHITECTURE, size, params, grad);
      final float eta = this.eta;
      for (int i = 0; i < size; i++) {
        params[i] -= eta * FastMath.finiteOrZero(grad[i]);
      }
    }

    @Override
    public void reset() {}

    /** Stateless: only the (always 0) step counter. */
    @Override
    public int stateSize() {
      return STATE.size();
    }

    @Override
    public void saveState(float[] dst, int offset) {
      STATE.save(0, dst, offset);
    }

    @Override
    public void loadState(float[] src, int offset) {
      STATE.load(src, offset);
    }

    @Override
    public String name() {
      return ARCHITECTURE;
    }

    @Override
    public double learningRate() {
      return eta;
    }
  }
}
