package org.metaopt.core.kernel;

import static org.metaopt.core.kernel.FastMath.TANH_P0;
import static org.metaopt.core.kernel.FastMath.TANH_P1;
import static org.metaopt.core.kernel.FastMath.TANH_P2;
import static org.metaopt.core.kernel.FastMath.TANH_P3;
import static org.metaopt.core.kernel.FastMath.TANH_Q1;
import static org.metaopt.core.kernel.FastMath.TANH_Q2;
import static org.metaopt.core.kernel.FastMath.TANH_Q3;
import static org.metaopt.core.kernel.FastMath.TANH_Q4;

/**
 * {@link FastMath}'s functions applied to array prefixes {@code [0, len)}, written so that Java 17's C2
 * auto-vectorizes them: every loop reads and writes separate arrays at the same index {@code i} from 0 and uses
 * only float arithmetic, {@code Math.min/max/abs/sqrt/fma} (measured: C2 17 vectorizes none of
 * {@code Float.floatToRawIntBits}/{@code intBitsToFloat}, int-float casts, branches or {@code Math.copySign}).
 * The few bit manipulations (exponent split of {@link #log}, {@code 2^k} of {@link #exp}) run in a separate,
 * minimal scalar loop; the polynomials run vectorized.
 *
 * <p>Results are bit-identical to {@link FastMath#tanh}, {@link FastMath#sigmoid}, {@link FastMath#log} and
 * {@link FastMath#exp} element by element on the inputs those document (tested by {@code FastMathTest});
 * {@link #asinhRatio} is a new approximation (relative error below 4e-7 where it applies, against 2e-5 for
 * {@link FastMath#asinh}). Stateless and
 * thread-safe; callers own the arrays.
 */
public final class FastMathLoops {
  // Public: the SIMD forms (SimdLoops, MlpLoptSimd, hrnn's HrnnSimd) compute with the same constants.
  public static final float LN2 = 0.6931471805599453f;
  public static final float LOG2E = 1.4426950408889634f;
  /**
   * {@code 1.5 * 2^23}: adding it to a float of magnitude below 2^22 rounds it to an integer; its bits are
   * {@link #MAGIC_BITS}, so {@code MAGIC_BITS + e} read as a float is {@code MAGIC + e}.
   */
  public static final float MAGIC = 12582912f;
  public static final int MAGIC_BITS = 0x4B400000;

  private FastMathLoops() {}

  /** {@code x[i] = FastMath.tanh(x[i])} for {@code i < len}. */
  public static void tanh(float[] x, int len) {
    final float c = FastMath.TANH_CLAMP;
    for (int i = 0; i < len; i++) {
      float v = Math.max(-c, Math.min(c, x[i]));
      float x2 = v * v;
      float p = v * (TANH_P0 + x2 * (TANH_P1 + x2 * (TANH_P2 + x2 * (TANH_P3 + x2))));
      float q = TANH_P0 + x2 * (TANH_Q1 + x2 * (TANH_Q2 + x2 * (TANH_Q3 + TANH_Q4 * x2)));
      x[i] = Math.max(-1f, Math.min(1f, p / q));
    }
  }

  /** {@code x[i] = FastMath.sigmoid(x[i])} for {@code i < len}. */
  public static void sigmoid(float[] x, int len) {
    final float c = FastMath.TANH_CLAMP;
    for (int i = 0; i < len; i++) {
      float v = Math.max(-c, Math.min(c, 0.5f * x[i]));
      float x2 = v * v;
      float p = v * (TANH_P0 + x2 * (TANH_P1 + x2 * (TANH_P2 + x2 * (TANH_P3 + x2))));
      float q = TANH_P0 + x2 * (TANH_Q1 + x2 * (TANH_Q2 + x2 * (TANH_Q3 + TANH_Q4 * x2)));
      x[i] = 0.5f + 0.5f * Math.max(-1f, Math.min(1f, p / q));
    }
  }

  /**
   * {@code x[i] = tanh(x[i])} for {@code i < len}, the hierarchical RNN's GRU form: {@link #tanh} with its two
   * polynomials evaluated as fused multiply-adds (the same error bound, other roundings), which with the SIMD form's
   * clamps on the magnitude ({@code HrnnSimd}) takes about half of {@link #tanh}'s instructions.
   */
  public static void gruTanh(float[] x, int len) {
    final float c = FastMath.TANH_CLAMP;
    for (int i = 0; i < len; i++) {
      float v = Math.max(-c, Math.min(c, x[i]));
      float x2 = v * v;
      float p = Math.fma(Math.fma(Math.fma(x2 + TANH_P3, x2, TANH_P2), x2, TANH_P1), x2, TANH_P0) * v;
      float q = Math.fma(Math.fma(Math.fma(Math.fma(x2, TANH_Q4, TANH_Q3), x2, TANH_Q2), x2, TANH_Q1), x2, TANH_P0);
      x[i] = Math.max(-1f, Math.min(1f, p / q));
    }
  }

  /**
   * {@code x[i] = sigmoid(2 x[i]) = (1 + gruTanh(x[i])) / 2} for {@code i < len}: the hierarchical RNN's gates,
   * whose pre-activations come halved (exactly) from halved weights and biases.
   */
  public static void gruSigmoidOfHalf(float[] x, int len) {
    gruTanh(x, len);
    for (int i = 0; i < len; i++) {
      x[i] = Math.fma(x[i], 0.5f, 0.5f);
    }
  }

  /**
   * {@code out[i] = FastMath.log(x[i])} for {@code i < len} (positive normal floats). {@code x} and
   * {@code out} may be the same array; {@code scratch} ({@code len} floats) is overwritten.
   */
  public static void log(float[] x, float[] out, float[] scratch, int len) {
    for (int i = 0; i < len; i++) { // scalar: exponent split (mantissa into out, exponent + MAGIC into scratch)
      int bits = Float.floatToRawIntBits(x[i]);
      int e = (bits - 0x3f3504f3) >> 23;
      out[i] = Float.intBitsToFloat(bits - (e << 23));
      scratch[i] = Float.intBitsToFloat(e + MAGIC_BITS);
    }
    for (int i = 0; i < len; i++) {
      float m = out[i];
      float s = (m - 1f) / (m + 1f);
      float s2 = s * s;
      float series = 2f * s * (1f + s2 * (1f / 3f + s2 * (1f / 5f + s2 * (1f / 7f + s2 * (1f / 9f)))));
      out[i] = (scratch[i] - MAGIC) * LN2 + series; // exact: the exponent as a float
    }
  }

  /**
   * {@code out[i] = FastMath.exp(x[i])} for {@code i < len}. {@code x} and {@code out} may be the same array;
   * {@code scratch} ({@code len} floats) is overwritten.
   */
  public static void exp(float[] x, float[] out, float[] scratch, int len) {
    for (int i = 0; i < len; i++) {
      float y = Math.max(-80f, Math.min(80f, x[i])) * LOG2E;
      float t = y + 128f; // in [12.6, 243.5]: FastMath.exp's (int) (y + 128f) is floor(t)
      float r = (t + MAGIC) - MAGIC; // t rounded to nearest
      float fl = r - ((0.5f + (r - t)) + MAGIC - MAGIC); // minus 1 exactly when r > t: floor(t)
      float k = fl - 128f;
      float f = (y - k) * LN2;
      out[i] = 1f + f * (1f + f * (0.5f + f * (1f / 6f + f * (1f / 24f + f * (1f / 120f + f * (1f / 720f))))));
      scratch[i] = k;
    }
    for (int i = 0; i < len; i++) { // scalar: 2^k
      out[i] *= Float.intBitsToFloat(((int) scratch[i] + 127) << 23);
    }
  }

  /**
   * {@code asinh(a_i / sqrt(m_i))} as {@code 2 atanh(s)}, {@code s = a / (sqrt(m) + sqrt(m + a^2))}
   * ({@code = tanh(asinh(z) / 2)}), by the atanh series to {@code s^29}: relative error below 4e-7 (a few float
   * roundings) for {@code |a / sqrt(m)| <= }{@link #ASINH_RATIO_LIMIT} ({@code |s| <= 0.618}) and
   * {@code m >= 1e-30} (a subnormal {@code m + a^2} loses digits), odd in {@code a}, no cancellation near 0.
   *
   * <p>No step computes on subnormals (x86 does that in microcode): {@code m + a^2} is one fused multiply-add, and
   * the series runs on {@code max(|s|, 2^-60)^2} ({@link #S_FLOOR}; relative error below 2^-120 for smaller
   * {@code s}). On the Fashion-MNIST MLP the weights of always-black pixels have gradient averages far below
   * {@code sqrt(m + 1e-16)}; their underflowing {@code a^2} and {@code s^2} had made the hierarchical RNN's whole
   * update ~2x slower.
   *
   * <p>Writes {@code out[i]} for {@code i < len} ({@code m > 0}) and returns {@code sum_i 2 max(s_i^2 - L^2, 0)},
   * {@code L = }{@link #ASINH_S_LIMIT}: positive exactly when some lane is beyond the limit, so that the caller
   * can redo those lanes another way. (A sum of {@code e + |e|} because C2's vectorized float max, with Java's
   * NaN and signed-zero rules, cost ~0.7 ns per element as a reduction: 1.7 against 1.4 ns per element.)
   */
  public static float asinhRatio(float[] a, float[] m, float[] out, int len) {
    final float limit2 = ASINH_S_LIMIT * ASINH_S_LIMIT;
    float excess = 0f;
    for (int i = 0; i < len; i++) {
      float ai = a[i];
      float mi = m[i];
      float s = ai / ((float) Math.sqrt(mi) + (float) Math.sqrt(Math.fma(ai, ai, mi))); // no subnormal a^2
      float sa = Math.max(Math.abs(s), S_FLOOR);
      float s2 = sa * sa;
      float p = 1f / 29f;
      p = Math.fma(p, s2, 1f / 27f);
      p = Math.fma(p, s2, 1f / 25f);
      p = Math.fma(p, s2, 1f / 23f);
      p = Math.fma(p, s2, 1f / 21f);
      p = Math.fma(p, s2, 1f / 19f);
      p = Math.fma(p, s2, 1f / 17f);
      p = Math.fma(p, s2, 1f / 15f);
      p = Math.fma(p, s2, 1f / 13f);
      p = Math.fma(p, s2, 1f / 11f);
      p = Math.fma(p, s2, 1f / 9f);
      p = Math.fma(p, s2, 1f / 7f);
      p = Math.fma(p, s2, 1f / 5f);
      p = Math.fma(p, s2, 1f / 3f);
      out[i] = 2f * s * Math.fma(p, s2, 1f);
      float e = s2 - limit2;
      excess += e + Math.abs(e);
    }
    return excess;
  }

  /** {@code 2^-60}: the smallest {@code |s|} whose square {@link #asinhRatio}'s series computes with. */
  public static final float S_FLOOR = 0x1p-60f;

  /** Where {@link #asinhRatio} is accurate: {@code |a / sqrt(m)| <= 2}. */
  public static final float ASINH_RATIO_LIMIT = 2f;
  /** {@code tanh(asinh(2) / 2) = 2 / (1 + sqrt(5))}, the {@code |s|} of {@link #ASINH_RATIO_LIMIT}. */
  public static final float ASINH_S_LIMIT = 0.618034f;
}
