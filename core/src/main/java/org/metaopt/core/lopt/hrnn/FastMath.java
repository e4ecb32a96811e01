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
  private static final float LOG2E = 1.4426950408889634f;

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

  /** Natural log of a positive normal float (not of 0, subnormals, infinities or NaN); branch-free. */
  static float log(float x) {
    int bits = Float.floatToRawIntBits(x);
    int e = (bits - 0x3f3504f3) >> 23; // exponent that puts the mantissa in [sqrt(1/2), sqrt(2))
    float m = Float.intBitsToFloat(bits - (e << 23));
    float s = (m - 1f) / (m + 1f); // |s| <= 0.1716
    float s2 = s * s;
    float series = 2f * s * (1f + s2 * (1f / 3f + s2 * (1f / 5f + s2 * (1f / 7f + s2 * (1f / 9f)))));
    return e * LN2 + series;
  }

  /**
   * {@code e^x} for x in [-80, 80] within 2e-5 relative (float rounding of x·log2(e); 1e-6 for |x| < 5) as 2^k times a degree-6 polynomial of
   * 2^f, f in [0, 1)); arguments outside are clamped.
   */
  static float exp(float x) {
    float y = Math.max(-80f, Math.min(80f, x)) * LOG2E;
    int k = (int) (y + 128f) - 128; // floor for y > -128
    float f = (y - k) * LN2; // e^f with f in [0, ln 2)
    float p = 1f + f * (1f + f * (0.5f + f * (1f / 6f + f * (1f / 24f + f * (1f / 120f + f * (1f / 720f))))));
    return Float.intBitsToFloat((k + 127) << 23) * p;
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
