package org.metaopt.core.lopt.hrnn;

import static org.metaopt.core.lopt.hrnn.HrnnTheta.F;
import static org.metaopt.core.lopt.hrnn.HrnnTheta.SCALES;

import org.metaopt.core.kernel.FastMath;
import org.metaopt.core.kernel.FastMathLoops;
import org.metaopt.core.kernel.Rows;
import org.metaopt.core.kernel.Simd;

/**
 * The per-coordinate work of one hierarchical-RNN step over a block of at most {@link #BLOCK} coordinates of
 * one tensor: the 12 input features ({@link BlockFeatures}), the per-parameter GRU, and the direction and
 * log-learning-rate readouts, and with attention the look-ahead direction readout.
 *
 * <p>These are the plain-Java loops, the reference: data are structure-of-arrays ({@code h[unit][coordinate]},
 * {@code x[feature][lane]}) so that every matrix product is a sequence of {@link Rows} passes over the block and
 * every nonlinearity a {@link FastMathLoops} loop, all of which C2 auto-vectorizes; tensor sums are kept per lane
 * (also vectorized) until {@link #tensorSums}. C2 vectorizes only loops whose arrays are all indexed from 0 by the
 * loop variable, so the block's slice of the stepper's state is copied into scratch, updated there and copied back.
 * With {@link Simd#ENABLED} a block goes to {@link HrnnSimd} instead: the same bits, faster. Owns only scratch sized
 * at construction; the state arrays belong to the {@link HrnnStepper} that created it. Not thread-safe.
 */
final class ParamBlockKernel {
  /**
   * Coordinates per block: long enough that C2's scalar pre- and post-loops around each vectorized loop cost
   * little (at 128 they doubled the cost of the elementwise loops), short enough that the ~100 scratch rows
   * (~200 KB) stay in L2. Measured per coordinate on the 101,770-parameter MLP: 105 ns at 256, 95 at 512,
   * 104 at 1024.
   */
  static final int BLOCK = 512;
  /**
   * The stepper pads each tensor's state to a multiple of this many coordinates, so that {@link HrnnSimd} can read
   * and write whole SIMD chunks in place (a multiple of every x86 vector's float count).
   */
  static final int PAD = 16;

  /** {@code n} rounded up to whole {@link #PAD}s: the state a tensor of {@code n} coordinates takes. */
  static int padded(int n) {
    return (n + PAD - 1) / PAD * PAD;
  }
  /** Features see gradients clamped to this magnitude so that {@code g^2} stays a finite float. */
  static final float GRAD_CLAMP = 1e18f;
  /** Clamp of the RMS-scaled averages before asinh (asinh(1e6) ~ 14.5). */
  static final float SCALED_CLAMP = 1e6f;
  static final float MS_EPS = 1e-16f;
  static final float MAX_LOG_LR = 33f;

  private final HrnnTheta cfg;
  /** Units of the parameter GRU. */
  private final int p;
  private final BlockFeatures features;
  /** Gate pre-activations, then gates: rows [0, p) reset, [p, 2p) update, [2p, 3p) candidate. */
  private final float[][] acc;
  /** The block's parameter-GRU state before this step. */
  private final float[][] hOld;
  /** Reset-gated old state {@code r * h}. */
  private final float[][] rh;
  /** The new state. */
  private final float[][] hNew;
  /** Inputs of the gate rows {@code [x, h]} and of the candidate rows {@code [x, r * h]} (shared rows). */
  private final float[][] gateIn;
  private final float[][] candIn;
  /** Inputs of the direction (and attention) readouts {@code [h', x_0..x_3]}. */
  private final float[][] dirIn;
  /**
   * Parameter-GRU weights packed per row: {@code [wx row (F), wh row (p)]}, the gate rows [0, 2p) halved (exactly):
   * their sigmoid is {@code (1 + tanh(z / 2)) / 2}.
   */
  private final float[][] packed;
  /** The GRU's biases for the current tensor, gate rows halved as their weights. */
  private final float[] gruBias;
  private final float[] dirW;
  private final float[] attW;
  private final float[] lrW;
  private final float[] dir = new float[BLOCK];
  private final float[] att = new float[BLOCK];
  private final float[] delta = new float[BLOCK];
  private final float[] lrNew = new float[BLOCK];
  private final float[] step = new float[BLOCK];
  private final float[] tmp = new float[BLOCK];
  /** Per-lane running sums over the current tensor: p new states, F features, d^2, new log lr, attention a^2. */
  private final float[][] laneSums;
  /**
   * Lanes {@link #block} may have written since {@link #beginTensor} (its longest block, rounded up to {@link #PAD});
   * the others hold 0. Summing and clearing only these made a tensor of a few coordinates cost a few instead of
   * 24 x 512 lanes: on the meta-train suite's small tasks the full sums and fills had been ~20% of meta-training.
   */
  private int usedLanes;
  private float lrBias;
  /** The SIMD kernel (same bits), or null for the plain loops. */
  private final HrnnSimd simd;

  // state owned by the stepper
  private final float[][] h;
  private final float[][] avg;
  private final float[][] ms;
  private final float[] logLr;
  private final float[] dRaw;
  private final float[] stepSize;
  /** Raw attention directions (null without attention). */
  private final float[] aRaw;

  /** {@code aRaw}: the stepper's raw attention directions with attention, null without. */
  ParamBlockKernel(HrnnTheta cfg, float[] th, float[][] h, float[][] avg, float[][] ms, float[] logLr, float[] dRaw,
      float[] stepSize, float[] aRaw) {
    this(cfg, th, h, avg, ms, logLr, dRaw, stepSize, aRaw, Simd.ENABLED);
  }

  /** As above, choosing the kernels: {@code simd} needs {@link Simd#moduleAvailable()} (tests compare both). */
  ParamBlockKernel(HrnnTheta cfg, float[] th, float[][] h, float[][] avg, float[][] ms, float[] logLr, float[] dRaw,
      float[] stepSize, float[] aRaw, boolean simd) {
    this.features = new BlockFeatures(BLOCK);
    if (cfg.attention != (aRaw != null)) {
      throw new IllegalArgumentException("attention " + cfg.attention + " needs aRaw " + (cfg.attention ? "" : "not ")
          + "given");
    }
    this.cfg = cfg;
    this.p = cfg.p;
    acc = new float[3 * p][BLOCK];
    hOld = new float[p][BLOCK];
    rh = new float[p][BLOCK];
    hNew = new float[p][BLOCK];
    gateIn = new float[F + p][];
    candIn = new float[F + p][];
    dirIn = new float[p + SCALES][];
    packed = new float[3 * p][F + p];
    gruBias = new float[3 * p];
    dirW = new float[p + SCALES];
    attW = new float[p + SCALES];
    lrW = new float[p];
    laneSums = new float[sumCount(cfg)][BLOCK];
    this.aRaw = aRaw;
    this.h = h;
    this.avg = avg;
    this.ms = ms;
    this.logLr = logLr;
    this.dRaw = dRaw;
    this.stepSize = stepSize;
    final float[][] x = features.x;
    for (int k = 0; k < F; k++) {
      gateIn[k] = x[k];
      candIn[k] = x[k];
    }
    for (int k = 0; k < p; k++) {
      gateIn[F + k] = hOld[k];
      candIn[F + k] = rh[k];
      dirIn[k] = hNew[k];
    }
    for (int s = 0; s < SCALES; s++) {
      dirIn[p + s] = x[s];
    }
    pack(th);
    this.simd = simd && HrnnSimd.fits()
        ? new HrnnSimd(p, packed, dirW, attW, lrW, laneSums, h, avg, ms, logLr, dRaw, stepSize, aRaw) : null;
  }

  /** Entries of {@link #tensorSums}: p states, F features, d^2, new log lr, and a^2 with attention. */
  static int sumCount(HrnnTheta cfg) {
    return cfg.p + F + (cfg.attention ? 3 : 2);
  }

  /** Copies the parameter GRU's and the readouts' weights from θ; call whenever θ changes. */
  void pack(float[] th) {
    for (int j = 0; j < 3 * p; j++) {
      System.arraycopy(th, cfg.pWx + j * F, packed[j], 0, F);
      System.arraycopy(th, cfg.pWh + j * p, packed[j], F, p);
      if (j < 2 * p) { // gate rows halved (exactly): sigmoid(z) = (1 + tanh(z / 2)) / 2 takes z / 2
        for (int k = 0; k < F + p; k++) {
          packed[j][k] *= 0.5f;
        }
      }
    }
    System.arraycopy(th, cfg.outDir, dirW, 0, p);
    System.arraycopy(th, cfg.outShortcut, dirW, p, SCALES);
    if (cfg.attention) {
      System.arraycopy(th, cfg.outAttention, attW, 0, p);
      System.arraycopy(th, cfg.outAttentionShortcut, attW, p, SCALES);
    }
    System.arraycopy(th, cfg.outLrW, lrW, 0, p);
    lrBias = th[cfg.outLrB];
  }

  /** Zeroes the per-lane tensor sums; call before the first block of each tensor. */
  void beginTensor() {
    for (float[] s : laneSums) {
      java.util.Arrays.fill(s, 0, usedLanes, 0f);
    }
    usedLanes = 0;
  }

  /**
   * Processes coordinates {@code [start, start + len)} of the state, {@code len <= BLOCK}, whose gradient is
   * {@code grad[gradStart, gradStart + len)}: one block of a tensor, whose state the stepper pads to whole
   * {@link #PAD}s.
   *
   * @param avgDecay decays of the 4 gradient averages (0 on the first step)
   * @param msDecay decays of the 4 mean squares (0 on the first step)
   * @param meanLogLr the tensor mean of {@code logLr} before this step
   * @param paramBias the per-parameter GRU's total bias for this tensor ({@code 3P} values)
   * @param c the step-size offset; {@code lrMomentum} the log-learning-rate smoothing
   */
  void block(float[] grad, int gradStart, int start, int len, float[] avgDecay, float[] msDecay, float meanLogLr,
      float[] paramBias, float lrMomentum, float c) {
    usedLanes = Math.max(usedLanes, Math.min(BLOCK, padded(len)));
    final float[] bias = gruBias;
    for (int j = 0; j < 3 * p; j++) { // gate rows halved, as their weights
      bias[j] = j < 2 * p ? paramBias[j] * 0.5f : paramBias[j];
    }
    if (simd != null) {
      simd.block(grad, gradStart, start, len, avgDecay, msDecay, meanLogLr, bias, lrMomentum, c, lrBias);
      return;
    }
    features.compute(grad, gradStart, avg, ms, logLr, start, len, avgDecay, msDecay, meanLogLr);
    gru(start, len, bias);
    readouts(start, len, lrMomentum, c);
  }

  private void gru(int start, int len, float[] bias) {
    final float[][] acc = this.acc;
    for (int k = 0; k < p; k++) {
      System.arraycopy(h[k], start, hOld[k], 0, len);
    }
    for (int j = 0; j < 2 * p; j++) { // gates from [x, h]: the rows are halved, so sigmoid(2 row)
      Rows.row(gateIn, packed[j], bias[j], acc[j], len);
      FastMathLoops.gruSigmoidOfHalf(acc[j], len);
    }
    for (int k = 0; k < p; k++) { // candidate input [x, r * h]
      final float[] r = acc[k];
      final float[] ho = hOld[k];
      final float[] out = rh[k];
      for (int i = 0; i < len; i++) {
        out[i] = (ho[i] * r[i] + FastMath.FLUSH) - FastMath.FLUSH; // network inputs: no subnormals
      }
    }
    for (int j = 2 * p; j < 3 * p; j++) {
      Rows.row(candIn, packed[j], bias[j], acc[j], len);
      FastMathLoops.gruTanh(acc[j], len);
    }
    for (int j = 0; j < p; j++) {
      final float[] u = acc[p + j];
      final float[] cand = acc[2 * p + j];
      final float[] ho = hOld[j];
      final float[] hn = hNew[j];
      final float[] sum = laneSums[j];
      for (int i = 0; i < len; i++) {
        float v = (u[i] * ho[i] + (1f - u[i]) * cand[i] + FastMath.FLUSH) - FastMath.FLUSH;
        hn[i] = v;
        sum[i] += v;
      }
      System.arraycopy(hn, 0, h[j], start, len);
    }
    final float[][] x = features.x;
    for (int k = 0; k < F; k++) {
      final float[] xk = x[k];
      final float[] sum = laneSums[p + k];
      for (int i = 0; i < len; i++) {
        sum[i] += xk[i];
      }
    }
  }

  private void readouts(int start, int len, float lrMomentum, float c) {
    final float[] dir = this.dir;
    final float[] delta = this.delta;
    Rows.row(dirIn, dirW, 0f, dir, len); // direction from h' plus the gradient shortcut
    Rows.row(hNew, lrW, lrBias, delta, len);
    final float[] old = features.logLrIn;
    final float[] next = lrNew;
    final float[] arg = step;
    final float[] d2 = laneSums[p + F];
    final float[] lrSum = laneSums[p + F + 1];
    final float keep = lrMomentum;
    final float move = 1f - lrMomentum;
    for (int i = 0; i < len; i++) {
      float o = old[i];
      float s = Math.max(-MAX_LOG_LR, Math.min(MAX_LOG_LR, o + delta[i]));
      float n = keep * o + move * s;
      next[i] = n;
      lrSum[i] += n;
      arg[i] = s + c;
      float d = dir[i];
      d2[i] += d * d;
    }
    FastMathLoops.exp(arg, arg, tmp, len);
    System.arraycopy(next, 0, logLr, start, len);
    System.arraycopy(arg, 0, stepSize, start, len);
    System.arraycopy(dir, 0, dRaw, start, len);
    if (aRaw != null) {
      final float[] att = this.att;
      Rows.row(dirIn, attW, 0f, att, len);
      final float[] a2 = laneSums[p + F + 2];
      for (int i = 0; i < len; i++) {
        float a = att[i];
        a2[i] += a * a;
      }
      System.arraycopy(att, 0, aRaw, start, len);
    }
  }

  /**
   * Tensor sums since {@link #beginTensor}, in double: {@code out[0..p)} new parameter states,
   * {@code [p, p+F)} features, {@code [p+F]} squared raw directions, {@code [p+F+1]} new log learning rates and,
   * with attention, {@code [p+F+2]} squared raw attention directions.
   */
  void tensorSums(double[] out) {
    Rows.laneSums(laneSums, usedLanes, out); // the lanes beyond usedLanes hold +0.0, which would change no bit
  }
}
