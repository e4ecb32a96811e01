package org.metaopt.core.lopt.celo2;

import org.metaopt.core.kernel.FastMath;
import org.metaopt.core.kernel.NewtonSchulz;
import org.metaopt.core.kernel.Simd;
import org.metaopt.core.lopt.LearnedUpdate;
import org.metaopt.core.lopt.StateArrays;
import org.metaopt.core.optim.CosineSchedule;
import org.metaopt.core.tensor.ParamLayout;
import org.metaopt.core.tensor.TensorSpec;

/**
 * The optimizer a {@link Celo2} θ defines (the formulas are on {@link Celo2}). Per matrix tensor and step, three
 * passes over its coordinates: (1) statistics — clip, momenta, second moment, the row and column sums of
 * {@code g² + 1e-30} and the sums of squares of the 12 features that need no factored statistics; then the
 * factored statistics (vectors of length rows + cols) are updated; (2) the sums of squares of the 6 factored
 * features ({@code g rowF colF} and {@code m rowF colF}, which need the updated statistics); (3) the fused pass:
 * features, MLP and direction, written into a scratch matrix. Newton–Schulz then runs on that matrix and a last
 * pass normalizes it to RMS 1 and applies it. The per-channel normalization is folded into the first layer's
 * weights, and the 12 features that are constant along a row or a column (the broadcast {@code vS}, {@code vL}
 * and their reciprocal square roots) are folded with the first layer's bias into per-row and per-column
 * pre-activations, so the per-coordinate network reads 18 features. Vectors take one pass.
 *
 * <p>This class runs the step and the vector branch; pass 1 is {@link Celo2Statistics}, the factored statistics and
 * pass 2 {@link Celo2Factored}, the fold and pass 3 {@link Celo2Directions}, the tensors' shapes
 * {@link Celo2Tensors} and the state and scratch they share {@link Celo2State}.
 *
 * <p>With {@link Simd#ENABLED} and hidden [8, 8], passes 1 and 3 run on {@link Celo2Simd} over whole vectors of a
 * row's columns (the rest of a row on the plain loops): the same bits as the plain loops ({@code Celo2SimdTest}).
 * Cost per matrix coordinate at H = [8, 8]: about
 * {@code 18·8 + 8·8 + 8} multiply-adds of network plus ~60 flops of features, and Newton–Schulz's
 * {@code 5 (2 r² c + r³)} multiply-adds per matrix ({@code r = min(R, C)}).
 *
 * <p>All state (flat {@code float[]} over the layout, factored statistics per matrix) and scratch (sized for the
 * largest matrix; Newton–Schulz reserved up front) are allocated at creation; a step does not allocate. Decaying
 * state is flushed to 0 below {@link FastMath#FLUSH}. Not thread-safe: one instance per optimizee run.
 */
final class Celo2Optimizer implements LearnedUpdate {
  /** Momenta and factored statistics per matrix: one per decay ({@link Celo2#MOMENTUM_DECAYS}). */
  static final int K = 3;

  private final float[] theta;
  private final int size;
  private final float lr;
  private final float weightDecay;
  private final boolean ns;
  /** The warm-up + cosine schedule, or null for a constant rate. */
  private final CosineSchedule schedule;
  private final Celo2Tensors tensors;
  private final Celo2State state;
  /** Pass 1. */
  private final Celo2Statistics statistics;
  /** The factored statistics and pass 2. */
  private final Celo2Factored factored;
  /** The first-layer fold and pass 3. */
  private final Celo2Directions directions;
  private final NewtonSchulz orthogonalizer;
  /** Momenta, second moment and factored statistics, for {@link #saveState}. */
  private final StateArrays saved;
  private long t;

  Celo2Optimizer(Celo2 arch, float[] theta, ParamLayout taskLayout, int totalSteps) {
    this(arch, theta, taskLayout, totalSteps, Simd.ENABLED);
  }

  /** With {@code simd} false pass 3 runs on the plain loops only (the same bits; for tests and comparisons). */
  Celo2Optimizer(Celo2 arch, float[] theta, ParamLayout taskLayout, int totalSteps, boolean simd) {
    Celo2Config c = arch.config();
    this.theta = theta;
    int[] hidden = arch.hidden();
    this.size = taskLayout.size();
    this.lr = (float) c.lr();
    this.weightDecay = (float) c.weightDecay();
    this.ns = c.ns();
    this.schedule = c.schedule() == Celo2Config.Schedule.COSINE && totalSteps > 0 ? new CosineSchedule(totalSteps)
        : null;
    this.tensors = new Celo2Tensors(taskLayout, c);
    this.orthogonalizer = new NewtonSchulz();
    for (int k = 0; k < tensors.size(); k++) {
      if (ns && tensors.matrix[k]) {
        orthogonalizer.reserve(tensors.rows[k], tensors.cols[k]);
      }
    }
    this.state = new Celo2State(tensors, size);
    this.saved = StateArrays.of(state.momenta, state.second, state.rowStat, state.colStat);
    // Celo2Simd.H0, H1 (not loaded otherwise)
    boolean kernels = simd && hidden.length == 2 && hidden[0] == 8 && hidden[1] == 8;
    this.statistics = new Celo2Statistics(state, tensors, kernels);
    this.factored = new Celo2Factored(state, tensors);
    this.directions = new Celo2Directions(arch, theta, state, tensors, kernels);
  }

  @Override
  public void setMetaParams(float[] newTheta) {
    Celo2.checkTheta(newTheta, theta.length);
    System.arraycopy(newTheta, 0, theta, 0, theta.length);
  }

  @Override
  public void step(float[] params, float[] grad) {
    if (params.length != size || grad.length != size) {
      throw new IllegalArgumentException(Celo2.ARCHITECTURE + " optimizer was created for " + size
          + " parameters but got params of length " + params.length + " and grad of length " + grad.length);
    }
    final float eta = schedule == null ? lr : (float) (lr * schedule.factor(t));
    for (int k = 0; k < tensors.size(); k++) {
      if (tensors.matrix[k]) {
        matrixStep(k, params, grad, eta * tensors.rateMult[k]);
      } else {
        vectorStep(tensors.list.get(k), params, grad, eta * tensors.rateMult[k]);
      }
    }
    t++;
  }

  private void vectorStep(TensorSpec s, float[] params, float[] grad, float rate) {
    final float b = Celo2.VECTOR_MOMENTUM;
    final float b2 = Celo2.RMS_DECAY;
    final float[] m = state.momenta[0];
    final float[] v = state.second;
    final float wd = weightDecay;
    for (int i = s.offset(); i < s.end(); i++) {
      final float g = Celo2Statistics.clean(grad[i]);
      final float mi = (b * m[i] + (1 - b) * g + FastMath.FLUSH) - FastMath.FLUSH;
      final float vi = (b2 * v[i] + (1 - b2) * (g * g) + FastMath.FLUSH) - FastMath.FLUSH;
      m[i] = mi;
      v[i] = vi;
      final float p = params[i];
      params[i] = p - rate * (mi / (float) Math.sqrt(vi + 1e-8f) + wd * p);
    }
  }

  private void matrixStep(int k, float[] params, float[] grad, float rate) {
    final int o = tensors.list.get(k).offset();
    final int r = tensors.rows[k];
    final int c = tensors.cols[k];
    final int n = r * c;
    final double[] sumSq = state.sumSq;
    final float[] scale = state.scale;
    final float[] dir = state.dir;
    statistics.run(o, r, c, params, grad);
    factored.update(k, r, c, statistics.rowSum, statistics.colSum);
    factored.sums(o, r, c);
    for (int f = 0; f < Celo2.FEATURES; f++) {
      scale[f] = (float) (1 / Math.sqrt(sumSq[f] / n + 1e-9));
    }
    directions.foldFirstLayer(k, r, c);
    directions.run(o, r, c, params);
    if (ns) {
      orthogonalizer.orthogonalize(dir, 0, r, c, dir, 0);
    }
    double ss = 0;
    for (int e = 0; e < n; e++) {
      ss += (double) dir[e] * dir[e];
    }
    final float sc = (float) (1 / Math.sqrt(ss / n + 1e-9));
    final float wd = weightDecay;
    for (int e = 0; e < n; e++) {
      final float p = params[o + e];
      params[o + e] = p - rate * (dir[e] * sc + wd * p);
    }
  }

  @Override
  public void reset() {
    state.reset();
    t = 0;
  }

  @Override
  public int stateSize() {
    return saved.size();
  }

  @Override
  public void saveState(float[] dst, int offset) {
    saved.save(t, dst, offset);
  }

  @Override
  public void loadState(float[] src, int offset) {
    t = saved.load(src, offset);
  }

  @Override
  public String name() {
    return Celo2.ARCHITECTURE;
  }

  /** The base learning rate η (before schedule, vector and μ multipliers). */
  @Override
  public double learningRate() {
    return lr;
  }
}
