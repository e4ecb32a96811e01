package org.metaopt.core.lopt.hrnn;

import static org.metaopt.core.lopt.hrnn.HrnnTheta.F;
import static org.metaopt.core.lopt.hrnn.HrnnTheta.G;
import static org.metaopt.core.lopt.hrnn.HrnnTheta.P;
import static org.metaopt.core.lopt.hrnn.HrnnTheta.SCALES;
import static org.metaopt.core.lopt.hrnn.HrnnTheta.T;
import static org.metaopt.core.lopt.hrnn.HrnnTheta.TENSOR_IN;

import java.util.Arrays;
import java.util.List;
import org.metaopt.core.tensor.ParamLayout;
import org.metaopt.core.tensor.TensorSpec;

/**
 * The optimizer a {@link HierarchicalRnnOptimizer} creates for one task: per-parameter, per-tensor and global
 * GRU states plus gradient averages, mean squares and log learning rates, all preallocated; each
 * {@link #step} is allocation-free.
 *
 * <p>Per tensor: (1) the block kernel computes features, the parameter GRU (biased by the tensor's and the
 * global state from the previous step), raw directions and log learning rates; (2) the direction is divided
 * by its RMS over the tensor and applied, {@code θ_i -= exp(stepLogLr_i + c) · d_i / rms(d)}; (3) the tensor
 * GRU consumes the tensor means of the new parameter states and the features. Then the global GRU consumes
 * the mean of the new tensor states. The step offset {@code c} is moved by the learned progress schedule
 * {@code a ln(r) + b p}, {@code p = t / totalSteps}, {@code r = max(1 - p, 1 / totalSteps)} (0 when totalSteps is
 * unknown), i.e. the step is scaled by {@code r^a e^(b p)}. Not thread-safe: one instance per optimizee run.
 */
final class HrnnStepper implements org.metaopt.core.lopt.LearnedUpdate {
  private static final float DIRECTION_EPS = 1e-16f;

  private final float[] th;
  private final int[] starts;
  private final int[] ends;
  private final int n;

  private final float[][] h = new float[P][];
  private final float[][] avg = new float[SCALES][];
  private final float[][] ms = new float[SCALES][];
  private final float[] logLr;
  private final float[] dRaw;
  private final float[] stepSize;
  private final float[][] tensorH;
  private final float[] meanLogLr;
  private final float[] invRms;
  private final float[] globalH = new float[G];

  private final ParamBlockKernel kernel;
  private final SmallGru tensorGru = new SmallGru(T, TENSOR_IN, HrnnTheta.T_WX, HrnnTheta.T_WH, HrnnTheta.T_B);
  private final SmallGru globalGru = new SmallGru(G, T, HrnnTheta.G_WX, HrnnTheta.G_WH, HrnnTheta.G_B);
  private final float[] avgDecay = new float[SCALES];
  private final float[] msDecay = new float[SCALES];
  private final float[] zeroDecay = new float[SCALES];
  private final float[] paramBias = new float[3 * P];
  private final float[] tensorBias = new float[3 * T];
  private final double[] sums = new double[P + F + 2];
  private final float[] tensorInput = new float[TENSOR_IN];
  private final float[] nextH = new float[Math.max(T, G)];
  private final float[] globalInput = new float[T];
  private float lrMomentum;
  private float stepOffset;
  private final int totalSteps;
  private long t;
  private boolean fresh;

  HrnnStepper(float[] theta, ParamLayout layout, int totalSteps) {
    this.totalSteps = Math.max(0, totalSteps);
    this.th = theta.clone();
    List<TensorSpec> tensors = layout.tensors();
    if (tensors.isEmpty()) {
      throw new IllegalArgumentException("hierarchical-rnn needs a task layout with at least one tensor");
    }
    this.starts = new int[tensors.size()];
    this.ends = new int[tensors.size()];
    for (int t = 0; t < tensors.size(); t++) {
      starts[t] = tensors.get(t).offset();
      ends[t] = tensors.get(t).end();
    }
    this.n = layout.size();
    for (int k = 0; k < P; k++) {
      h[k] = new float[n];
    }
    for (int s = 0; s < SCALES; s++) {
      avg[s] = new float[n];
      ms[s] = new float[n];
    }
    this.logLr = new float[n];
    this.dRaw = new float[n];
    this.stepSize = new float[n];
    this.tensorH = new float[tensors.size()][T];
    this.meanLogLr = new float[tensors.size()];
    this.invRms = new float[tensors.size()];
    this.kernel = new ParamBlockKernel(th, h, avg, ms, logLr, dRaw, stepSize);
    derive();
    reset();
  }

  /**
   * Recomputes everything derived from θ (decays, log-lr momentum, step offset, the kernel's packed GRU weights):
   * at creation and on every {@link #setMetaParams}, so a swapped or perturbed θ acts on all of its entries.
   */
  private void derive() {
    // decays: β1 = σ(logit), β_{i+1} = sqrt(β_i); the same chain for the mean squares
    avgDecay[0] = sigmoid(th[HrnnTheta.AVG_DECAY]);
    msDecay[0] = sigmoid(th[HrnnTheta.MS_DECAY]);
    for (int s = 1; s < SCALES; s++) {
      avgDecay[s] = (float) Math.sqrt(avgDecay[s - 1]);
      msDecay[s] = (float) Math.sqrt(msDecay[s - 1]);
    }
    this.lrMomentum = sigmoid(th[HrnnTheta.OUT_LR_MOMENTUM]);
    this.stepOffset = th[HrnnTheta.OUT_STEP_OFFSET];
    kernel.pack(th);
  }

  private static float sigmoid(float z) {
    return (float) (1.0 / (1.0 + Math.exp(-z)));
  }

  @Override
  public void step(float[] params, float[] grad) {
    if (params.length != n || grad.length != n) {
      throw new IllegalArgumentException("hierarchical-rnn was created for " + n + " parameters but got params "
          + params.length + " and grad " + grad.length);
    }
    float[] aDecay = fresh ? zeroDecay : avgDecay; // first step: averages and mean squares start at g, g^2
    float[] mDecay = fresh ? zeroDecay : msDecay;
    double p = totalSteps > 0 ? Math.min(1.0, t / (double) totalSteps) : 0.0;
    double logRemaining = totalSteps > 0 ? Math.log(Math.max(1 - p, 1.0 / totalSteps)) : 0.0;
    double progressLogLr = th[HrnnTheta.OUT_PROGRESS] * logRemaining + th[HrnnTheta.OUT_PROGRESS + 1] * p;
    float offset = (float) Math.max(-ParamBlockKernel.MAX_LOG_LR, Math.min(ParamBlockKernel.MAX_LOG_LR,
        stepOffset + progressLogLr));
    for (int k = 0; k < starts.length; k++) {
      stepTensor(k, params, grad, aDecay, mDecay, offset);
    }
    t++;
    Arrays.fill(globalInput, 0f);
    for (float[] ht : tensorH) {
      for (int k = 0; k < T; k++) {
        globalInput[k] += ht[k];
      }
    }
    for (int k = 0; k < T; k++) {
      globalInput[k] /= tensorH.length;
    }
    globalGru.step(th, globalInput, 0, globalH, 0, null, nextH, 0);
    System.arraycopy(nextH, 0, globalH, 0, G);
    fresh = false;
  }

  private void stepTensor(int t, float[] params, float[] grad, float[] aDecay, float[] mDecay, float offset) {
    final int start = starts[t];
    final int end = ends[t];
    final float[] ht = tensorH[t];
    System.arraycopy(th, HrnnTheta.P_B, paramBias, 0, 3 * P);
    SmallGru.affine(th, HrnnTheta.P_FROM_T, 3 * P, T, ht, 0, paramBias, true);
    SmallGru.affine(th, HrnnTheta.P_FROM_G, 3 * P, G, globalH, 0, paramBias, true);
    kernel.beginTensor();
    for (int b = start; b < end; b += ParamBlockKernel.BLOCK) {
      int len = Math.min(ParamBlockKernel.BLOCK, end - b);
      kernel.block(grad, b, len, aDecay, mDecay, meanLogLr[t], paramBias, lrMomentum, offset);
    }
    kernel.tensorSums(sums);
    final int size = end - start;
    float inv = (float) (1.0 / Math.sqrt(sums[P + F] / size + DIRECTION_EPS));
    invRms[t] = inv;
    meanLogLr[t] = (float) (sums[P + F + 1] / size);
    for (int i = start; i < end; i++) {
      params[i] -= stepSize[i] * (dRaw[i] * inv);
    }
    for (int q = 0; q < TENSOR_IN; q++) {
      tensorInput[q] = (float) (sums[q] / size);
    }
    SmallGru.affine(th, HrnnTheta.T_FROM_G, 3 * T, G, globalH, 0, tensorBias, false);
    tensorGru.step(th, tensorInput, 0, ht, 0, tensorBias, nextH, 0);
    System.arraycopy(nextH, 0, ht, 0, T);
  }

  @Override
  public void reset() {
    for (int k = 0; k < P; k++) {
      Arrays.fill(h[k], th[HrnnTheta.P_H0 + k]);
    }
    for (int s = 0; s < SCALES; s++) {
      Arrays.fill(avg[s], 0f);
      Arrays.fill(ms[s], 0f);
    }
    float initLogLr = Math.max(-ParamBlockKernel.MAX_LOG_LR,
        Math.min(ParamBlockKernel.MAX_LOG_LR, th[HrnnTheta.OUT_INIT_LOG_LR]));
    Arrays.fill(logLr, initLogLr);
    Arrays.fill(meanLogLr, initLogLr);
    Arrays.fill(dRaw, 0f);
    Arrays.fill(stepSize, 0f);
    Arrays.fill(invRms, 0f);
    for (float[] ht : tensorH) {
      System.arraycopy(th, HrnnTheta.T_H0, ht, 0, T);
    }
    System.arraycopy(th, HrnnTheta.G_H0, globalH, 0, G);
    fresh = true;
    t = 0;
  }

  @Override
  public String name() {
    return HierarchicalRnnOptimizer.ARCHITECTURE;
  }

  @Override
  public double learningRate() {
    return Double.NaN; // per-parameter, state-dependent learning rates
  }

  /** Test hook: the unit-RMS-per-tensor direction {@code d_i / rms(d)} of the last step. */
  void lastDirection(float[] out) {
    for (int t = 0; t < starts.length; t++) {
      for (int i = starts[t]; i < ends[t]; i++) {
        out[i] = dRaw[i] * invRms[t];
      }
    }
  }

  /** Test hook: the current per-parameter log learning rates. */
  float[] logLearningRates() {
    return logLr.clone();
  }

  @Override
  public void setMetaParams(float[] theta) {
    if (theta.length != th.length) {
      throw new IllegalArgumentException("hierarchical-rnn needs theta of length " + th.length + ", got " + theta.length);
    }
    System.arraycopy(theta, 0, th, 0, th.length);
    derive();
  }
}
