package org.metaopt.core.lopt.hrnn;

/**
 * Float approximations of {@code tanh}, the logistic sigmoid, {@code log} and {@code asinh} for the
 * hierarchical RNN's per-parameter loops, where {@link Math#tanh}/{@link Math#log} dominate the cost.
 *
 * <p>Accuracy (checked by {@code FastMathTest}): {@link #tanh} absolute error below 1.1e-4 everywhere (Lambert's
 * continued fraction truncated to a [7/6] rational, clamped at ±4.97 where it reaches 1), {@link #sigmoid}
 * below 6e-5; {@link #log} relative-to-1 absolute error below 2e-6 for positive normal floats (exponent split
 * plus a 4-term atanh series on the mantissa); {@link #asinh} below 2e-5 relative. {@code tanh} and
 * {@code sigmoid} use only min/max/mul/add/div, so C2 auto-vectorizes loops over them. Stateless and
 * thread-safe.
 */
final class FastMath {
  private FastMath() {}

  /** Where the [7/6] rational reaches 1 (to float precision); beyond it tanh is 1 within 1e-4. */
  static final float TANH_CLAMP = 4.97f;
  private static final float LN2 = 0.6931471805599453f;
  private static final int SQRT_HALF_MANTISSA = 0x3504f3; // mantissa bits of sqrt(2) in [1, 2)

  /** tanh within 1.1e-4 absolute; finite for every float argument. */
  static float tanh(float x) {
    x = Math.max(-TANH_CLAMP, Math.min(TANH_CLAMP, x));
    float x2 = x * x;
    float p = x * (135135f + x2 * (17325f + x2 * (378f + x2)));
    float q = 135135f + x2 * (62370f + x2 * (3150f + x2 * 28f));
    return p / q;
  }

  /** The logistic sigmoid {@code 1 / (1 + e^-x)} within 6e-5 absolute, via {@code (1 + tanh(x/2)) / 2}. */
  static float sigmoid(float x) {
    return 0.5f + 0.5f * tanh(0.5f * x);
  }

  /** Natural log of a positive normal float (not of 0, subnormals, infinities or NaN). */
  static float log(float x) {
    int bits = Float.floatToRawIntBits(x);
    int e = (bits >>> 23) - 127;
    int mant = bits & 0x7fffff;
    if (mant > SQRT_HALF_MANTISSA) { // fold the mantissa into [sqrt(1/2), sqrt(2))
      mant |= 0x3f000000; // exponent -1: value in [0.5, 1)
      e += 1;
    } else {
      mant |= 0x3f800000; // exponent 0: value in [1, 2)
    }
    float m = Float.intBitsToFloat(mant);
    float s = (m - 1f) / (m + 1f); // |s| <= 0.1716
    float s2 = s * s;
    float series = 2f * s * (1f + s2 * (1f / 3f + s2 * (1f / 5f + s2 * (1f / 7f + s2 * (1f / 9f)))));
    return e * LN2 + series;
  }

  /** asinh for |x| up to 1e18 (callers clamp); odd, monotone. */
  static float asinh(float x) {
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
