package org.metaopt.core.lopt.hrnn;

import static org.metaopt.core.lopt.hrnn.HrnnTheta.F;
import static org.metaopt.core.lopt.hrnn.HrnnTheta.SCALES;

import java.util.Arrays;
import java.util.List;
import org.metaopt.core.kernel.Simd;
import org.metaopt.core.lopt.StateArrays;
import org.metaopt.core.tensor.ParamLayout;
import org.metaopt.core.tensor.TensorSpec;

/**
 * The optimizer a {@link HierarchicalRnnOptimizer} creates for one task: per-parameter, per-tensor and global
 * GRU states plus gradient averages, mean squares and log learning rates, all preallocated; each
 * {@link #step} is allocation-free.
 *
 * <p>Per tensor: (1) the block kernel computes features, the parameter GRU (biased by the tensor's and the
 * global state from the previous step), raw directions and log learning rates; (2) the direction is divided
 * by its RMS over the tensor and applied, {@code θ_i -= exp(stepLogLr_i + c) · d_i / rms(d)} (times
 * {@code min(1, B / fanIn)} for a weight tensor with the width-aware step, {@code fanInBase: B}); (3) the tensor
 * GRU consumes the tensor means of the new parameter states and the features. Then the global GRU consumes
 * the mean of the new tensor states. The step offset {@code c} is moved by the learned progress schedule
 * {@code a ln(r) + b p}, {@code p = t / totalSteps}, {@code r = max(1 - p, 1 / totalSteps)} (0 when totalSteps is
 * unknown), i.e. the step is scaled by {@code r^a e^(b p)}.
 *
 * <p>With attention (the paper's decoupled evaluation point, the original's {@code use_attention}) the kernel also
 * reads out an attention direction {@code a_i} from the new parameter state and the gradient shortcut, normalized
 * to unit RMS over the tensor like {@code d}, and {@link #gradientPoint} is
 * {@code θ_i - exp(stepLogLr_i + progressLogLr) · a_i / rms(a)}: the original's {@code exp(step_log_lr)} (without
 * the offset {@code c}), times the same progress schedule as the update so that the look-ahead shrinks with the
 * step at the end of a run. Not thread-safe: one instance per optimizee run.
 */
final class HrnnStepper implements org.metaopt.core.lopt.LearnedUpdate {
  private static final float DIRECTION_EPS = 1e-16f;

  private final HrnnTheta cfg;
  private final int p;
  private final float[] th;
  private final int[] starts;
  private final int[] ends;
  /**
   * Per tensor: where its state starts. Each tensor's state is padded to whole {@link ParamBlockKernel#PAD}s (the
   * padding lanes compute on zero gradients and count nowhere), so that the SIMD kernel works on whole chunks.
   */
  private final int[] stateStarts;
  /** Per tensor: the width-aware step's {@code min(1, B / fanIn)}, or 1 (off, or a vector). */
  private final float[] widthScale;
  private final int n;

  private final float[][] h;
  private final float[][] avg = new float[SCALES][];
  private final float[][] ms = new float[SCALES][];
  private final float[] logLr;
  private final float[] dRaw;
  private final float[] stepSize;
  private final float[][] tensorH;
  private final float[] meanLogLr;
  private final float[] invRms;
  /** Attention: raw directions and per-tensor 1 / rms (null without attention). */
  private final float[] aRaw;
  private final float[] invRmsA;
  private final float[] globalH;

  private final ParamBlockKernel kernel;
  private final SmallGru tensorGru;
  private final SmallGru globalGru;
  private final float[] avgDecay = new float[SCALES];
  private final float[] msDecay = new float[SCALES];
  private final float[] zeroDecay = new float[SCALES];
  private final float[] paramBias;
  /** The global state's term of {@link #paramBias}, once per step. */
  private final float[] paramBiasGlobal;
  private final float[] tensorBias;
  private final double[] sums;
  private final float[] tensorInput;
  private final float[] nextH;
  private final float[] globalInput;
  private float lrMomentum;
  private float stepOffset;
  /** {@code exp(-c)}: turns a step size {@code exp(s + c + progress)} into the look-ahead {@code exp(s + progress)}. */
  private float attendFactor;
  private final int totalSteps;
  /** Every array the next step reads (hidden states, averages, log rates, the last directions), for saveState. */
  private final StateArrays saved;
  private long t;
  /** True before the first step (equivalently {@code t == 0}). */
  private boolean fresh;

  /**
   * {@code fanInBase}: 0, or the width-aware step's {@code B} (a weight tensor's step times
   * {@code min(1, B / fanIn)}).
   */
  HrnnStepper(HrnnTheta cfg, float[] theta, ParamLayout layout, int totalSteps, double fanInBase) {
    this(cfg, theta, layout, totalSteps, fanInBase, Simd.ENABLED);
  }

  /** Without the width-aware step, choosing the kernels (tests compare both). */
  HrnnStepper(HrnnTheta cfg, float[] theta, ParamLayout layout, int totalSteps, boolean simd) {
    this(cfg, theta, layout, totalSteps, 0, simd);
  }

  /** As the first, choosing the kernels: {@code simd} needs the Vector API module. */
  HrnnStepper(HrnnTheta cfg, float[] theta, ParamLayout layout, int totalSteps, double fanInBase, boolean simd) {
    this.cfg = cfg;
    this.p = cfg.p;
    this.totalSteps = Math.max(0, totalSteps);
    this.th = theta.clone();
    List<TensorSpec> tensors = layout.tensors();
    if (tensors.isEmpty()) {
      throw new IllegalArgumentException("hierarchical-rnn needs a task layout with at least one tensor");
    }
    this.starts = new int[tensors.size()];
    this.ends = new int[tensors.size()];
    this.stateStarts = new int[tensors.size()];
    this.widthScale = new float[tensors.size()];
    int padded = 0;
    for (int t = 0; t < tensors.size(); t++) {
      TensorSpec spec = tensors.get(t);
      starts[t] = spec.offset();
      ends[t] = spec.end();
      stateStarts[t] = padded;
      padded += ParamBlockKernel.padded(spec.size());
      widthScale[t] = (float) spec.widthScale(fanInBase);
    }
    this.n = layout.size();
    this.h = new float[p][];
    for (int k = 0; k < p; k++) {
      h[k] = new float[padded];
    }
    for (int s = 0; s < SCALES; s++) {
      avg[s] = new float[padded];
      ms[s] = new float[padded];
    }
    this.logLr = new float[padded];
    this.dRaw = new float[padded];
    this.stepSize = new float[padded];
    this.tensorH = new float[tensors.size()][cfg.t];
    this.meanLogLr = new float[tensors.size()];
    this.invRms = new float[tensors.size()];
    this.aRaw = cfg.attention ? new float[padded] : null;
    this.invRmsA = cfg.attention ? new float[tensors.size()] : null;
    this.globalH = new float[cfg.g];
    this.tensorGru = new SmallGru(cfg.t, cfg.tensorIn, cfg.tWx, cfg.tWh, cfg.tB);
    this.globalGru = new SmallGru(cfg.g, cfg.t, cfg.gWx, cfg.gWh, cfg.gB);
    this.paramBias = new float[3 * p];
    this.paramBiasGlobal = new float[3 * p];
    this.tensorBias = new float[3 * cfg.t];
    this.sums = new double[ParamBlockKernel.sumCount(cfg)];
    this.tensorInput = new float[cfg.tensorIn];
    this.nextH = new float[Math.max(cfg.t, cfg.g)];
    this.globalInput = new float[cfg.t];
    this.kernel = new ParamBlockKernel(cfg, th, h, avg, ms, logLr, dRaw, stepSize, aRaw, simd);
    this.saved = StateArrays.of(h, avg, ms, logLr, dRaw, stepSize, tensorH, meanLogLr, invRms, aRaw, invRmsA,
        globalH);
    derive();
    reset();
  }

  /**
   * Recomputes everything derived from θ (decays, log-lr momentum, step offset, the kernel's packed GRU weights):
   * at creation and on every {@link #setMetaParams}, so a swapped or perturbed θ acts on all of its entries.
   */
  private void derive() {
    // decays: β1 = σ(logit), β_{i+1} = sqrt(β_i); the same chain for the mean squares
    avgDecay[0] = sigmoid(th[cfg.avgDecay]);
    msDecay[0] = sigmoid(th[cfg.msDecay]);
    for (int s = 1; s < SCALES; s++) {
      avgDecay[s] = (float) Math.sqrt(avgDecay[s - 1]);
      msDecay[s] = (float) Math.sqrt(msDecay[s - 1]);
    }
    this.lrMomentum = sigmoid(th[cfg.outLrMomentum]);
    this.stepOffset = th[cfg.outStepOffset];
    this.attendFactor = (float) Math.exp(Math.min(ParamBlockKernel.MAX_LOG_LR, -stepOffset));
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
    double progress = totalSteps > 0 ? Math.min(1.0, t / (double) totalSteps) : 0.0;
    double logRemaining = totalSteps > 0 ? Math.log(Math.max(1 - progress, 1.0 / totalSteps)) : 0.0;
    double progressLogLr = th[cfg.outProgress] * logRemaining + th[cfg.outProgress + 1] * progress;
    float offset = (float) Math.max(-ParamBlockKernel.MAX_LOG_LR, Math.min(ParamBlockKernel.MAX_LOG_LR,
        stepOffset + progressLogLr));
    // the global state's terms of the parameter and tensor GRUs' biases: the same for every tensor of this step
    SmallGru.affine(th, cfg.pFromG, 3 * p, cfg.g, globalH, 0, paramBiasGlobal, false);
    SmallGru.affine(th, cfg.tFromG, 3 * cfg.t, cfg.g, globalH, 0, tensorBias, false);
    for (int k = 0; k < starts.length; k++) {
      stepTensor(k, params, grad, aDecay, mDecay, offset);
    }
    t++;
    Arrays.fill(globalInput, 0f);
    for (float[] ht : tensorH) {
      for (int k = 0; k < cfg.t; k++) {
        globalInput[k] += ht[k];
      }
    }
    for (int k = 0; k < cfg.t; k++) {
      globalInput[k] /= tensorH.length;
    }
    globalGru.step(th, globalInput, 0, globalH, 0, null, nextH, 0);
    System.arraycopy(nextH, 0, globalH, 0, cfg.g);
    fresh = false;
  }

  private void stepTensor(int t, float[] params, float[] grad, float[] aDecay, float[] mDecay, float offset) {
    final int start = starts[t];
    final int end = ends[t];
    final int shift = stateStarts[t] - start; // state index minus parameter index
    final float[] ht = tensorH[t];
    System.arraycopy(th, cfg.pB, paramBias, 0, 3 * p);
    SmallGru.affine(th, cfg.pFromT, 3 * p, cfg.t, ht, 0, paramBias, true);
    for (int j = 0; j < 3 * p; j++) { // bias + tensor term + global term, in that order
      paramBias[j] += paramBiasGlobal[j];
    }
    kernel.beginTensor();
    for (int b = start; b < end; b += ParamBlockKernel.BLOCK) {
      int len = Math.min(ParamBlockKernel.BLOCK, end - b);
      kernel.block(grad, b, b + shift, len, aDecay, mDecay, meanLogLr[t], paramBias, lrMomentum, offset);
    }
    kernel.tensorSums(sums);
    final int size = end - start;
    float inv = (float) (1.0 / Math.sqrt(sums[p + F] / size + DIRECTION_EPS));
    invRms[t] = inv;
    meanLogLr[t] = (float) (sums[p + F + 1] / size);
    if (invRmsA != null) {
      invRmsA[t] = (float) (1.0 / Math.sqrt(sums[p + F + 2] / size + DIRECTION_EPS));
    }
    final float scaled = inv * widthScale[t]; // inv itself when the scale is 1
    for (int i = start; i < end; i++) {
      params[i] -= stepSize[i + shift] * (dRaw[i + shift] * scaled);
    }
    for (int q = 0; q < cfg.tensorIn; q++) {
      tensorInput[q] = (float) (sums[q] / size);
    }
    tensorGru.step(th, tensorInput, 0, ht, 0, tensorBias, nextH, 0);
    System.arraycopy(nextH, 0, ht, 0, cfg.t);
  }

  @Override
  public boolean looksAhead() {
    return cfg.attention;
  }

  /**
   * With attention and after the first step, {@code θ_i - exp(stepLogLr_i + progressLogLr) · a_i / rms(a)};
   * otherwise {@code params} itself.
   */
  @Override
  public void gradientPoint(float[] params, float[] out) {
    if (params.length != n || out.length != n) {
      throw new IllegalArgumentException("hierarchical-rnn was created for " + n + " parameters but got params "
          + params.length + " and out " + out.length);
    }
    if (aRaw == null || fresh) {
      System.arraycopy(params, 0, out, 0, n);
      return;
    }
    final float f = attendFactor;
    for (int k = 0; k < starts.length; k++) {
      final float inv = invRmsA[k] * widthScale[k];
      final int shift = stateStarts[k] - starts[k];
      for (int i = starts[k]; i < ends[k]; i++) {
        out[i] = params[i] - (stepSize[i + shift] * f) * (aRaw[i + shift] * inv);
      }
    }
  }

  @Override
  public void reset() {
    for (int k = 0; k < p; k++) {
      Arrays.fill(h[k], th[cfg.pH0 + k]);
    }
    for (int s = 0; s < SCALES; s++) {
      Arrays.fill(avg[s], 0f);
      Arrays.fill(ms[s], 0f);
    }
    float initLogLr = Math.max(-ParamBlockKernel.MAX_LOG_LR,
        Math.min(ParamBlockKernel.MAX_LOG_LR, th[cfg.outInitLogLr]));
    Arrays.fill(logLr, initLogLr);
    Arrays.fill(meanLogLr, initLogLr);
    Arrays.fill(dRaw, 0f);
    Arrays.fill(stepSize, 0f);
    Arrays.fill(invRms, 0f);
    if (aRaw != null) {
      Arrays.fill(aRaw, 0f);
      Arrays.fill(invRmsA, 0f);
    }
    for (float[] ht : tensorH) {
      System.arraycopy(th, cfg.tH0, ht, 0, cfg.t);
    }
    System.arraycopy(th, cfg.gH0, globalH, 0, cfg.g);
    fresh = true;
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
    fresh = t == 0;
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
      final int shift = stateStarts[t] - starts[t];
      for (int i = starts[t]; i < ends[t]; i++) {
        out[i] = dRaw[i + shift] * invRms[t];
      }
    }
  }

  /** Test hook: the current per-parameter log learning rates. */
  float[] logLearningRates() {
    float[] out = new float[n];
    for (int t = 0; t < starts.length; t++) {
      System.arraycopy(logLr, stateStarts[t], out, starts[t], ends[t] - starts[t]);
    }
    return out;
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
