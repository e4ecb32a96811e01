package org.metaopt.core.lopt.hrnn;

import static org.metaopt.core.lopt.hrnn.HrnnTheta.F;
import static org.metaopt.core.lopt.hrnn.HrnnTheta.P;
import static org.metaopt.core.lopt.hrnn.HrnnTheta.SCALES;

import org.metaopt.core.lopt.FastMath;

/**
 * The per-coordinate work of one hierarchical-RNN step over a block of at most {@link #BLOCK} coordinates of
 * one tensor: the 12 input features, the per-parameter GRU, and the direction and log-learning-rate readouts.
 *
 * <p>Data are structure-of-arrays ({@code h[unit][coordinate]}, {@code x[feature][lane]}) so that every
 * matrix product is a sequence of saxpy loops over the block that C2 auto-vectorizes, and tensor sums are
 * kept per lane (also vectorized) until {@link #tensorSums}. Owns only scratch sized at construction; the
 * state arrays belong to the {@link HrnnStepper} that created it. Not thread-safe.
 */
final class ParamBlockKernel {
  /** Coordinates per block: scratch stays in L1/L2 while loop overhead is amortized. */
  static final int BLOCK = 128;
  /** Features see gradients clamped to this magnitude so that {@code g^2} stays a finite float. */
  static final float GRAD_CLAMP = 1e18f;
  /** Clamp of the RMS-scaled averages before asinh (asinh(1e6) ~ 14.5). */
  static final float SCALED_CLAMP = 1e6f;
  static final float MS_EPS = 1e-16f;
  static final float MAX_LOG_LR = 33f;

  private final float[][] acc = new float[3 * P][BLOCK];
  /** Inputs of the parameter GRU: rows [0, F) features, [F, F+P) the old state (then r * state). */
  private final float[][] in = new float[F + P][BLOCK];
  private final float[][] x = java.util.Arrays.copyOf(in, F);
  private final float[] lmMean = new float[BLOCK];
  /** Parameter-GRU weights packed per row: {@code [wx row (F), wh row (P)]}. */
  private final float[][] packed = new float[3 * P][F + P];
  private final float[] dir = new float[BLOCK];
  private final float[] delta = new float[BLOCK];
  /** Per-lane running sums over the current tensor: P new states, F features, d^2, new log lr. */
  private final float[][] laneSums = new float[P + F + 2][BLOCK];

  // state owned by the stepper
  private final float[][] h;
  private final float[][] avg;
  private final float[][] ms;
  private final float[] logLr;
  private final float[] dRaw;
  private final float[] stepSize;

  ParamBlockKernel(float[] th, float[][] h, float[][] avg, float[][] ms, float[] logLr, float[] dRaw, float[] stepSize) {
    this.h = h;
    this.avg = avg;
    this.ms = ms;
    this.logLr = logLr;
    this.dRaw = dRaw;
    this.stepSize = stepSize;
    pack(th);
  }

  /** Copies the parameter GRU's weights from θ into the packed rows; call whenever θ changes. */
  void pack(float[] th) {
    for (int j = 0; j < 3 * P; j++) {
      System.arraycopy(th, HrnnTheta.P_WX + j * F, packed[j], 0, F);
      System.arraycopy(th, HrnnTheta.P_WH + j * P, packed[j], F, P);
    }
  }

  /** Zeroes the per-lane tensor sums; call before the first block of each tensor. */
  void beginTensor() {
    for (float[] s : laneSums) {
      java.util.Arrays.fill(s, 0f);
    }
  }

  /**
   * Processes coordinates {@code [start, start + len)} of one tensor.
   *
   * @param avgDecay decays of the 4 gradient averages (0 on the first step)
   * @param msDecay decays of the 4 mean squares (0 on the first step)
   * @param meanLogLr the tensor mean of {@code logLr} before this step
   * @param bias the per-parameter GRU's total bias for this tensor ({@code 3P} values)
   * @param c the step-size offset; {@code lrMomentum} the log-learning-rate smoothing
   */
  void block(float[] th, float[] grad, int start, int len, float[] avgDecay, float[] msDecay, float meanLogLr,
      float[] bias, float lrMomentum, float c) {
    features(grad, start, len, avgDecay, msDecay, meanLogLr);
    gru(th, start, len, bias);
    readouts(th, start, len, lrMomentum, c);
  }

  private void features(float[] grad, int start, int len, float[] avgDecay, float[] msDecay, float meanLogLr) {
    final float[][] x = this.x;
    final float[] lmMean = this.lmMean;
    java.util.Arrays.fill(lmMean, 0, len, 0f);
    for (int s = 0; s < SCALES; s++) {
      final float b = avgDecay[s];
      final float r = msDecay[s];
      final float[] av = avg[s];
      final float[] m2 = ms[s];
      final float[] xs = x[s];
      final float[] lm = x[2 * SCALES - 1 + s]; // raw log ms for now, centred below
      for (int i = 0; i < len; i++) {
        int o = start + i;
        // NaN/Inf entries count as 0 (as in every learned optimizer): one bad coordinate must not poison the rest.
        float g = Math.max(-GRAD_CLAMP, Math.min(GRAD_CLAMP, finiteOrZero(grad[o])));
        float a = b * av[o] + (1f - b) * g;
        float m = r * m2[o] + (1f - r) * (g * g);
        av[o] = a;
        m2[o] = m;
        float z = a / (float) Math.sqrt(m + MS_EPS);
        xs[i] = FastMath.asinh(Math.max(-SCALED_CLAMP, Math.min(SCALED_CLAMP, z)));
        float l = FastMath.log(m + MS_EPS);
        lm[i] = l;
        lmMean[i] += l * (1f / SCALES);
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
      for (int i = 0; i < len; i++) {
        p[i] = x0[i] * x1[i];
      }
    }
    final float[] rel = x[F - 1];
    for (int i = 0; i < len; i++) {
      rel[i] = logLr[start + i] - meanLogLr;
    }
  }

  private void gru(float[] th, int start, int len, float[] bias) {
    final float[][] acc = this.acc;
    final float[][] in = this.in;
    for (int k = 0; k < P; k++) {
      System.arraycopy(h[k], start, in[F + k], 0, len);
    }
    for (int j = 0; j < 2 * P; j++) { // gates from [x, h]
      Rows.row(in, packed[j], bias[j], acc[j], len);
      final float[] a = acc[j];
      for (int i = 0; i < len; i++) {
        a[i] = FastMath.sigmoid(a[i]);
      }
    }
    for (int k = 0; k < P; k++) { // candidate input [x, r * h]
      final float[] r = acc[k];
      final float[] hk = in[F + k];
      for (int i = 0; i < len; i++) {
        hk[i] *= r[i];
      }
    }
    for (int j = 2 * P; j < 3 * P; j++) {
      Rows.row(in, packed[j], bias[j], acc[j], len);
    }
    for (int j = 0; j < P; j++) {
      final float[] u = acc[P + j];
      final float[] cand = acc[2 * P + j];
      final float[] hj = h[j];
      final float[] sum = laneSums[j];
      for (int i = 0; i < len; i++) {
        float c = FastMath.tanh(cand[i]);
        float hn = u[i] * hj[start + i] + (1f - u[i]) * c;
        hj[start + i] = hn;
        sum[i] += hn;
      }
    }
    for (int k = 0; k < F; k++) {
      final float[] xk = x[k];
      final float[] sum = laneSums[P + k];
      for (int i = 0; i < len; i++) {
        sum[i] += xk[i];
      }
    }
  }

  private void readouts(float[] th, int start, int len, float lrMomentum, float c) {
    final float[] dir = this.dir;
    final float[] delta = this.delta;
    java.util.Arrays.fill(dir, 0, len, 0f);
    java.util.Arrays.fill(delta, 0, len, th[HrnnTheta.OUT_LR_B]);
    for (int k = 0; k < P; k++) {
      saxpy(dir, th[HrnnTheta.OUT_DIR + k], h[k], start, len);
      saxpy(delta, th[HrnnTheta.OUT_LR_W + k], h[k], start, len);
    }
    for (int s = 0; s < SCALES; s++) { // gradient shortcut
      saxpy(dir, th[HrnnTheta.OUT_SHORTCUT + s], x[s], 0, len);
    }
    final float[] d2 = laneSums[P + F];
    final float[] lrSum = laneSums[P + F + 1];
    final float keep = lrMomentum;
    final float move = 1f - lrMomentum;
    for (int i = 0; i < len; i++) {
      int o = start + i;
      float old = logLr[o];
      float step = Math.max(-MAX_LOG_LR, Math.min(MAX_LOG_LR, old + delta[i]));
      float next = keep * old + move * step;
      logLr[o] = next;
      lrSum[i] += next;
      stepSize[o] = FastMath.exp(step + c);
      float d = dir[i];
      dRaw[o] = d;
      d2[i] += d * d;
    }
  }

  /**
   * Tensor sums since {@link #beginTensor}, in double: {@code out[0..P)} new parameter states,
   * {@code [P, P+F)} features, {@code [P+F]} squared raw directions, {@code [P+F+1]} new log learning rates.
   */
  void tensorSums(double[] out) {
    for (int q = 0; q < laneSums.length; q++) {
      double s = 0;
      for (float v : laneSums[q]) {
        s += v;
      }
      out[q] = s;
    }
  }

  private static void saxpy(float[] y, float a, float[] x, int xOff, int len) {
    for (int i = 0; i < len; i++) {
      y[i] += a * x[xOff + i];
    }
  }

  private static float finiteOrZero(float g) {
    return Float.isFinite(g) ? g : 0f;
  }
}
