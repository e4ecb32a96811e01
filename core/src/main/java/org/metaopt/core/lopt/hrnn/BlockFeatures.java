package org.metaopt.core.lopt.hrnn;

import static org.metaopt.core.lopt.hrnn.HrnnTheta.F;
import static org.metaopt.core.lopt.hrnn.HrnnTheta.SCALES;

import org.metaopt.core.kernel.FastMath;
import org.metaopt.core.kernel.FastMathLoops;

/**
 * The 12 per-coordinate input features of one block of the parameter GRU, and the update of the gradient
 * averages and mean squares they come from: per scale {@code s}, {@code a_s = b_s a_s + (1 - b_s) g},
 * {@code m_s = r_s m_s + (1 - r_s) g^2}; features {@code asinh(a_s / sqrt(m_s + eps))} (argument clamped to
 * ±{@link ParamBlockKernel#SCALED_CLAMP}), the 3 products of neighbouring ones, {@code log(m_s + eps)} centred
 * over the scales, and {@code logLr - meanLogLr}. The gradient is clamped to ±{@link ParamBlockKernel#GRAD_CLAMP}
 * with NaN and ±Inf read as 0.
 *
 * <p>For speed (C2 auto-vectorization, see {@link FastMathLoops}) the block's state is copied into scratch
 * indexed from 0, computed there, and copied back; asinh is {@link FastMathLoops#asinhRatio} where the
 * scaled average is at most 2 in magnitude (always, for the decays of θ0 and the shipped θ after the first step)
 * and {@link FastMath#asinh} elsewhere. Owns only scratch; not thread-safe.
 */
final class BlockFeatures {
  /**
   * {@code 2^-40}: the product features round their factors to multiples of 2^-63 (an absolute error below 1e-19),
   * so that a nonzero product is at least 2^-126 and never subnormal. Weights of always-black Fashion-MNIST pixels
   * have scaled averages near 2^-97, and their underflowing products cost a microcode assist each.
   */
  static final float PRODUCT_FLUSH = 0x1p-40f;

  /** Features of the block, {@code x[feature][lane]}: 4 asinh, 3 products, 4 centred log ms, relative log lr. */
  final float[][] x;
  /** The block's log learning rates before this step, copied in by {@link #compute}. */
  final float[] logLrIn;

  private final float[] g;
  private final float[] a;
  private final float[] m;
  private final float[] mEps;
  private final float[] tmp;

  BlockFeatures(int block) {
    x = new float[F][block];
    logLrIn = new float[block];
    g = new float[block];
    a = new float[block];
    m = new float[block];
    mEps = new float[block];
    tmp = new float[block];
  }

  /**
   * Updates {@code avg} and {@code ms} on {@code [start, start + len)} from {@code grad} on
   * {@code [gradStart, gradStart + len)} and fills {@link #x} and {@link #logLrIn}.
   *
   * @param avgDecay decays of the 4 gradient averages (0 on the first step)
   * @param msDecay decays of the 4 mean squares (0 on the first step)
   * @param meanLogLr the tensor mean of {@code logLr} before this step
   */
  void compute(float[] grad, int gradStart, float[][] avg, float[][] ms, float[] logLr, int start, int len,
      float[] avgDecay, float[] msDecay, float meanLogLr) {
    final float[] g = this.g;
    System.arraycopy(grad, gradStart, g, 0, len);
    for (int i = 0; i < len; i++) { // scalar, almost never taken: non-finite entries count as 0
      if (!(Math.abs(g[i]) <= Float.MAX_VALUE)) {
        g[i] = 0f;
      }
    }
    final float clamp = ParamBlockKernel.GRAD_CLAMP;
    for (int i = 0; i < len; i++) {
      g[i] = Math.max(-clamp, Math.min(clamp, g[i]));
    }
    final float[] lmMean = tmp;
    for (int s = 0; s < SCALES; s++) {
      scale(s, avg[s], ms[s], start, len, avgDecay[s], msDecay[s]);
    }
    java.util.Arrays.fill(lmMean, 0, len, 0f);
    for (int s = 0; s < SCALES; s++) {
      final float[] lm = x[2 * SCALES - 1 + s];
      for (int i = 0; i < len; i++) {
        lmMean[i] += lm[i] * (1f / SCALES);
      }
    }
    for (int s = 0; s < SCALES; s++) {
      final float[] lm = x[2 * SCALES - 1 + s];
      for (int i = 0; i < len; i++) {
        lm[i] -= lmMean[i];
      }
    }
    for (int s = 0; s < SCALES - 1; s++) {
      final float[] p = x[SCALES + s];
      final float[] x0 = x[s];
      final float[] x1 = x[s + 1];
      for (int i = 0; i < len; i++) { // factors below 2^-64 count as 0: their product would underflow (microcode)
        float f0 = (x0[i] + PRODUCT_FLUSH) - PRODUCT_FLUSH;
        float f1 = (x1[i] + PRODUCT_FLUSH) - PRODUCT_FLUSH;
        p[i] = (f0 * f1 + FastMath.FLUSH) - FastMath.FLUSH;
      }
    }
    final float[] lr = logLrIn;
    System.arraycopy(logLr, start, lr, 0, len);
    final float[] rel = x[F - 1];
    for (int i = 0; i < len; i++) {
      rel[i] = lr[i] - meanLogLr;
    }
  }

  /** One timescale: the average and mean-square update, the asinh feature and the raw log mean square. */
  private void scale(int s, float[] avgS, float[] msS, int start, int len, float b, float r) {
    final float[] g = this.g;
    final float[] a = this.a;
    final float[] m = this.m;
    final float[] mEps = this.mEps;
    System.arraycopy(avgS, start, a, 0, len);
    System.arraycopy(msS, start, m, 0, len);
    final float keepA = 1f - b;
    final float keepM = 1f - r;
    for (int i = 0; i < len; i++) {
      float gi = g[i];
      float ai = (b * a[i] + keepA * gi + FastMath.FLUSH) - FastMath.FLUSH; // no subnormals (FastMath.FLUSH)
      float mi = (r * m[i] + keepM * (gi * gi) + FastMath.FLUSH) - FastMath.FLUSH;
      a[i] = ai;
      m[i] = mi;
      mEps[i] = mi + ParamBlockKernel.MS_EPS;
    }
    System.arraycopy(a, 0, avgS, start, len);
    System.arraycopy(m, 0, msS, start, len);
    final float[] xs = x[s];
    final boolean beyond = FastMathLoops.asinhRatio(a, mEps, xs, len) > 0f;
    FastMathLoops.log(mEps, x[2 * SCALES - 1 + s], tmp, len);
    if (beyond) {
      final float lim = ParamBlockKernel.SCALED_CLAMP;
      for (int i = 0; i < len; i++) { // rare: scaled averages beyond 2 in magnitude
        float z = a[i] / (float) Math.sqrt(mEps[i]);
        if (Math.abs(z) > FastMathLoops.ASINH_RATIO_LIMIT) {
          xs[i] = FastMath.asinh(Math.max(-lim, Math.min(lim, z)));
        }
      }
    }
  }
}
