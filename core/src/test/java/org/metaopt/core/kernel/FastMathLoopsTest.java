package org.metaopt.core.kernel;



import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@link FastMathLoops}: bit-identical to {@link FastMath} element by element; {@code asinhRatio} accuracy. */
class FastMathLoopsTest {
  private static final int N = 1 << 16;

  @Test
  void tanhSigmoidLogAndExpAreBitIdenticalToFastMath() {
    SplittableRandom rng = new SplittableRandom(4);
    for (int round = 0; round < 8; round++) {
      float[] x = new float[N];
      float[] positive = new float[N];
      for (int i = 0; i < N; i++) {
        x[i] = (float) ((rng.nextDouble() * 2 - 1) * Math.pow(10, rng.nextDouble() * 6 - 4));
        positive[i] = (float) Math.pow(10, rng.nextDouble() * 74 - 37);
      }
      x[0] = 0f;
      x[1] = -0f;
      x[2] = Float.MAX_VALUE;
      x[3] = -Float.MAX_VALUE;
      x[4] = FastMath.TANH_CLAMP;
      x[5] = 80f;
      x[6] = -80f;
      x[7] = 1e30f;
      positive[0] = Float.MIN_NORMAL;
      positive[1] = Float.MAX_VALUE;
      positive[2] = 1f;
      int len = N - round; // odd lengths too: the scalar tails
      float[] scratch = new float[N];
      float[] tanh = x.clone();
      FastMathLoops.tanh(tanh, len);
      float[] sigmoid = x.clone();
      FastMathLoops.sigmoid(sigmoid, len);
      float[] exp = new float[N];
      FastMathLoops.exp(x, exp, scratch, len);
      float[] log = new float[N];
      FastMathLoops.log(positive, log, scratch, len);
      for (int i = 0; i < len; i++) {
        assertBits(FastMath.tanh(x[i]), tanh[i], "tanh", x[i]);
        assertBits(FastMath.sigmoid(x[i]), sigmoid[i], "sigmoid", x[i]);
        assertBits(FastMath.exp(x[i]), exp[i], "exp", x[i]);
        assertBits(FastMath.log(positive[i]), log[i], "log", positive[i]);
      }
    }
  }

  @Test
  void logAndExpMayWorkInPlace() {
    float[] x = {0.5f, 2f, 3e-20f, 7e30f};
    float[] want = new float[x.length];
    for (int i = 0; i < x.length; i++) {
      want[i] = FastMath.log(x[i]);
    }
    FastMathLoops.log(x, x, new float[x.length], x.length);
    for (int i = 0; i < x.length; i++) {
      assertBits(want[i], x[i], "log in place", i);
      want[i] = FastMath.exp(x[i]);
    }
    FastMathLoops.exp(x, x, new float[x.length], x.length);
    for (int i = 0; i < x.length; i++) {
      assertBits(want[i], x[i], "exp in place", i);
    }
  }

  @Test
  void asinhRatioIsAccurateUpToItsLimitAndOdd() {
    SplittableRandom rng = new SplittableRandom(5);
    float[] a = new float[N];
    float[] m = new float[N];
    for (int i = 0; i < N; i++) {
      m[i] = (float) Math.pow(10, rng.nextDouble() * 60 - 30); // normal m + a^2 (the kernel has m >= 1e-16)
      double z = i < N / 2 ? (rng.nextDouble() * 4 - 2) : Math.copySign(Math.pow(10, -rng.nextDouble() * 30), i % 2 - 0.5);
      a[i] = (float) (z * Math.sqrt(m[i]));
    }
    a[0] = 0f;
    float[] out = new float[N];
    float excess = FastMathLoops.asinhRatio(a, m, out, N);
    assertTrue(excess <= 1e-6f, "no lane is beyond the limit (but for rounding at |z| = 2): " + excess);
    double worst = 0;
    for (int i = 1; i < N; i++) {
      double z = a[i] / Math.sqrt(m[i]);
      double exact = Math.abs(z) < 1e-4 ? z - z * z * z / 6 // the log form cancels below ~1e-8 in double
          : Math.copySign(Math.log(Math.abs(z) + Math.sqrt(z * z + 1)), z);
      if (Math.abs(z) <= FastMathLoops.ASINH_RATIO_LIMIT && z != 0) {
        worst = Math.max(worst, Math.abs(out[i] - exact) / Math.abs(exact));
      }
    }
    assertTrue(worst < 4e-7, "asinhRatio relative error " + worst);
    assertEquals(0f, out[0]);
    float[] neg = a.clone();
    for (int i = 0; i < N; i++) {
      neg[i] = -a[i];
    }
    float[] outNeg = new float[N];
    FastMathLoops.asinhRatio(neg, m, outNeg, N);
    for (int i = 0; i < N; i++) {
      assertEquals(-out[i], outNeg[i]);
    }
  }

  private static void assertBits(float want, float got, String what, float at) {
    assertEquals(Float.floatToRawIntBits(want), Float.floatToRawIntBits(got), what + " at " + at + ": " + want + " vs " + got);
  }

  @Test
  void asinhRatioFlagsAnyLaneBeyondItsLimit() {
    float[] a = new float[300];
    float[] m = new float[300];
    java.util.Arrays.fill(m, 1f);
    for (int i = 0; i < a.length; i++) {
      a[i] = (i % 5 - 2) * 0.9f; // |z| <= 1.8
    }
    float[] out = new float[a.length];
    assertEquals(0f, FastMathLoops.asinhRatio(a, m, out, a.length));
    for (int lane : new int[] {0, 7, 299}) {
      float[] b = a.clone();
      b[lane] = lane == 7 ? -2.1f : 2.1f;
      assertTrue(FastMathLoops.asinhRatio(b, m, out, b.length) > 0f, "lane " + lane + " with |z| = 2.1");
    }
  }
}
