package org.metaopt.core.kernel;

/**
 * Float approximations for every learned optimizer's per-parameter loops (one class for all architectures,
 * including the hierarchical RNN's subpackage): a rational tanh and sigmoid that C2 can vectorize
 * ({@link Math#tanh} is neither intrinsic nor vectorized and dominated a prototype's step), and {@code log},
 * {@code exp}, {@code asinh} where {@link Math}'s versions dominate the cost.
 *
 * <p>{@link #tanh} is the [9/8] Padé approximant of tanh (Lambert's continued fraction truncated), evaluated on
 * the input clamped to ±7.9053 where it reaches 1; its maximum absolute error over the reals is 6.9e-6
 * (measured against {@link Math#tanh} on a 1e-4 grid over [-20, 20]); it is odd, monotone, bounded by 1, and
 * maps NaN to NaN. {@link #log}: absolute error below 2e-6 relative to max(1, |log x|) for positive normal
 * floats (exponent split plus an atanh series on the mantissa); {@link #exp}: 2e-5 relative on [-80, 80];
 * {@link #asinh}: 2e-5 relative. Accuracy is checked by {@code FastMathTest}. Public only so that the
 * {@code hrnn} subpackage can share it. Stateless and thread-safe.
 */
public final class FastMath {
  /** Where the [9/8] Padé approximant of tanh reaches 1. */
  public static final float TANH_CLAMP = 7.90531110763549805f;

  /**
   * A software flush-to-zero for state that decays geometrically: {@code (v + FLUSH) - FLUSH} is 0 for
   * {@code |v| < 2^-124}, {@code v} exactly for {@code |v| >= 2^-75}, and vectorizes. Momenta and mean squares of a
   * coordinate whose gradient is exactly 0 (a weight on an always-black pixel, a dead unit) would otherwise spend
   * hundreds to thousands of steps as subnormal floats, which x86 handles in microcode at many times the cost
   * (measured: mlp-lopt's whole Fashion-MNIST step went from ~2.9 ms to ~8.4 ms after ~1,000 steps without it,
   * with the same losses to 4 digits with it). The baseline optimizers use the same constant.
   */
  public static final float FLUSH = org.metaopt.core.kernel.Subnormals.SQUARE;

  /**
   * The [7/8] Padé form of tanh used by every tanh and sigmoid kernel (scalar, loops, SIMD):
   * {@code tanh(x) ≈ x (P0 + x²(P1 + x²(P2 + x²(P3 + x²)))) / (P0 + x²(Q1 + x²(Q2 + x²(Q3 + Q4 x²))))}.
   * One home for the coefficients; the kernels evaluate it in their own (documented) order.
   */
  public static final float TANH_P0 = 34459425f;
  public static final float TANH_P1 = 4729725f;
  public static final float TANH_P2 = 135135f;
  public static final float TANH_P3 = 990f;
  public static final float TANH_Q1 = 16216200f;
  public static final float TANH_Q2 = 945945f;
  public static final float TANH_Q3 = 13860f;
  public static final float TANH_Q4 = 45f;

  private FastMath() {}

  /** tanh(x) within 6.9e-6. */
  public static float tanh(float x) {
    float c = Math.max(-TANH_CLAMP, Math.min(TANH_CLAMP, x));
    float x2 = c * c;
    float p = c * (TANH_P0 + x2 * (TANH_P1 + x2 * (TANH_P2 + x2 * (TANH_P3 + x2))));
    float q = TANH_P0 + x2 * (TANH_Q1 + x2 * (TANH_Q2 + x2 * (TANH_Q3 + TANH_Q4 * x2)));
    return Math.max(-1f, Math.min(1f, p / q));
  }

  /** The logistic sigmoid {@code 1 / (1 + e^-x) = (1 + tanh(x/2)) / 2}, within 3.5e-6. */
  public static float sigmoid(float x) {
    return 0.5f + 0.5f * tanh(0.5f * x);
  }

  /** A gradient entry with non-finite values (NaN, ±Inf) replaced by 0, the learned optimizers' NaN policy. */
  public static float finiteOrZero(float g) {
    return Float.isFinite(g) ? g : 0f;
  }

  private static final float LN2 = 0.6931471805599453f;
  private static final float LOG2E = 1.4426950408889634f;

  /** Natural log of a positive normal float (not of 0, subnormals, infinities or NaN); branch-free. */
  public static float log(float x) {
    int bits = Float.floatToRawIntBits(x);
    int e = (bits - 0x3f3504f3) >> 23; // exponent that puts the mantissa in [sqrt(1/2), sqrt(2))
    float m = Float.intBitsToFloat(bits - (e << 23));
    float s = (m - 1f) / (m + 1f); // |s| <= 0.1716
    float s2 = s * s;
    float series = 2f * s * (1f + s2 * (1f / 3f + s2 * (1f / 5f + s2 * (1f / 7f + s2 * (1f / 9f)))));
    return e * LN2 + series;
  }

  /**
   * {@code e^x} for x in [-80, 80] within 2e-5 relative (float rounding of x·log2(e); 1e-6 for |x| < 5), as 2^k
   * times a degree-6 polynomial of f in [0, ln 2); arguments outside are clamped.
   */
  public static float exp(float x) {
    float y = Math.max(-80f, Math.min(80f, x)) * LOG2E;
    int k = (int) (y + 128f) - 128; // floor for y > -128
    float f = (y - k) * LN2; // e^f with f in [0, ln 2)
    float p = 1f + f * (1f + f * (0.5f + f * (1f / 6f + f * (1f / 24f + f * (1f / 120f + f * (1f / 720f))))));
    return Float.intBitsToFloat((k + 127) << 23) * p;
  }

  /** asinh for |x| up to 1e18 (callers clamp); odd, monotone. */
  public static float asinh(float x) {
    float a = Math.abs(x);
    float r;
    if (a < 1e-2f) {
      r = a * (1f - a * a * (1f / 6f)); // series: log(1 + a) would lose the small argument
    } else {
      r = log(a + (float) Math.sqrt(a * a + 1f));
    }
    return Math.copySign(r, x);
  }
}
