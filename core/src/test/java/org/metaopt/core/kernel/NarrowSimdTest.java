package org.metaopt.core.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.metaopt.core.lopt.Simd;

/**
 * {@link NarrowSimd}'s three products against {@link DenseOps}' loops, bit for bit, at shapes around the vector
 * length, with zero, negative-zero, NaN and infinite entries (zero inputs are skipped, so a +0 product must not turn
 * a -0 output into +0, and a zero input must not meet an infinite weight).
 */
class NarrowSimdTest {
  private static final int[] ROWS = {1, 3, 15, 16, 17, 32, 33, 64};
  private static final int[] IN = {1, 7, 15, 16, 17, 32, 49};
  private static final int[] OUT = {1, 2, 3, 4, 5, 7, 10, 15};

  @Test
  void theThreeProductsGiveDenseOpsBitsAtShapesAroundTheVectorLength() {
    assertTrue(Simd.moduleAvailable(), "surefire starts the test JVM with --add-modules jdk.incubator.vector");
    SplittableRandom rng = new SplittableRandom(5);
    NarrowSimd simd = new NarrowSimd(); // one instance across shapes: its scratch is reused and regrown
    int checked = 0;
    for (int rows : ROWS) {
      for (int in : IN) {
        for (int out : OUT) {
          check(simd, rng, rows, in, out);
          checked++;
        }
      }
    }
    assertEquals(ROWS.length * IN.length * OUT.length, checked);
  }

  @Test
  void aNarrowLayerIsBelowOneVector() {
    assertTrue(NarrowSimd.narrow(NarrowSimd.LANES - 1));
    assertTrue(!NarrowSimd.narrow(NarrowSimd.LANES));
  }

  private static void check(NarrowSimd simd, SplittableRandom rng, int rows, int in, int out) {
    String shape = rows + "-" + in + "-" + out;
    int wOff = rng.nextInt(5);
    float[] x = values(rng, rows * in);
    float[] w = values(rng, wOff + in * out + 3);
    float[] d = values(rng, rows * out);

    float[] y0 = values(rng, rows * out);
    float[] yPlain = y0.clone();
    float[] ySimd = y0.clone();
    DenseOps.addMatmul(x, rows, in, w, wOff, out, yPlain);
    simd.addMatmul(x, rows, in, w, wOff, out, ySimd);
    assertSameBits(yPlain, ySimd, "X W " + shape);

    float[] b0 = values(rng, rows * in);
    float[] bPlain = b0.clone();
    float[] bSimd = b0.clone();
    DenseOps.addMatmulTransposed(d, rows, out, w, wOff, in, bPlain);
    simd.addMatmulTransposed(d, rows, out, w, wOff, in, bSimd);
    assertSameBits(bPlain, bSimd, "D W^T " + shape);

    float[] g0 = values(rng, wOff + in * out + 3);
    float[] gPlain = g0.clone();
    float[] gSimd = g0.clone();
    DenseOps.addOuterProducts(x, rows, in, d, out, gPlain, wOff);
    simd.addOuterProducts(x, rows, in, d, out, gSimd, wOff);
    assertSameBits(gPlain, gSimd, "X^T D " + shape);
  }

  /** Gaussians over 12 decades, with about 30% zeros (some negative), and rare NaN and infinities. */
  private static float[] values(SplittableRandom rng, int n) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      int kind = rng.nextInt(100);
      if (kind < 20) {
        v[i] = 0f;
      } else if (kind < 30) {
        v[i] = -0f;
      } else if (kind == 30) {
        v[i] = Float.NaN;
      } else if (kind == 31) {
        v[i] = rng.nextBoolean() ? Float.POSITIVE_INFINITY : Float.NEGATIVE_INFINITY;
      } else {
        v[i] = (float) (rng.nextGaussian() * Math.pow(10, rng.nextInt(12) - 6));
      }
    }
    return v;
  }

  private static void assertSameBits(float[] expected, float[] actual, String what) {
    for (int i = 0; i < expected.length; i++) {
      assertEquals(Float.floatToIntBits(expected[i]), Float.floatToIntBits(actual[i]), what + ", index " + i);
    }
  }
}
