package org.metaopt.core.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The {@code simd} {@link Gemm} computes every entry as {@code c + s}, {@code s} the fused multiply-add sum over
 * {@code k} in increasing order from 0, whatever tile, padding or transposed form computes it: checked
 * against that reference (as floats, so {@code -0 == +0}) at shapes that hit every edge (rows not a multiple of 6, 8
 * or 4, columns not a multiple of a vector, both forms of {@code D W^T}, inputs with all-zero border features), and
 * writes nothing outside its output.
 */
class SimdGemmTest {
  private static final int[][] SHAPES = {{1, 1, 1}, {3, 5, 7}, {8, 16, 32}, {13, 49, 32}, {64, 49, 32},
      {64, 32, 10}, {17, 33, 9}, {128, 128, 10}, {12, 100, 100}, {128, 784, 128}, {5, 70, 48}, {100, 20, 17}};

  @Test
  void everyProductMatchesTheOrderedFmaSumBitForBit() {
    assumeTrue(Simd.ENABLED, "needs --add-modules jdk.incubator.vector");
    SplittableRandom rng = new SplittableRandom(5);
    for (int[] s : SHAPES) {
      check(rng, s[0], s[1], s[2]);
    }
    for (int t = 0; t < 8; t++) {
      check(rng, 1 + rng.nextInt(70), 1 + rng.nextInt(150), 1 + rng.nextInt(90));
    }
  }

  @Test
  void imageLikeInputsWithAllZeroBordersKeepTheOrderedSum() {
    assumeTrue(Simd.ENABLED, "needs --add-modules jdk.incubator.vector");
    SplittableRandom rng = new SplittableRandom(6);
    // inputs whose first and last features are always 0 (an image's border), at widths of several whole panels
    check(rng, 20, 50, 130, 20, 9);
    check(rng, 64, 49, 200, 14, 0);
    check(rng, 128, 196, 128, 30, 30);
  }

  @Test
  void layersGetTheSimdBackendUnlessThePropertySaysOtherwise() {
    String old = System.getProperty(Gemm.PROPERTY);
    try {
      System.clearProperty(Gemm.PROPERTY);
      assertEquals(Simd.ENABLED ? Gemm.Backend.SIMD : Gemm.Backend.AUTO, Gemm.fastest().backend());
      assertEquals(Gemm.Backend.AUTO, new Gemm().backend());
      System.setProperty(Gemm.PROPERTY, "plain");
      assertEquals(Gemm.Backend.PLAIN, Gemm.fastest().backend());
    } finally {
      if (old == null) {
        System.clearProperty(Gemm.PROPERTY);
      } else {
        System.setProperty(Gemm.PROPERTY, old);
      }
    }
  }

  private static void check(SplittableRandom rng, int rows, int in, int out) {
    check(rng, rows, in, out, 0, 0);
  }

  /** As {@link #check(SplittableRandom, int, int, int)} with features {@code [0, lead)} and the last {@code tail} 0. */
  private static void check(SplittableRandom rng, int rows, int in, int out, int lead, int tail) {
    String at = rows + "x" + in + "x" + out;
    Gemm simd = new Gemm(Gemm.Backend.SIMD);
    int off = 3;
    float[] x = halfZeros(rng, rows * in);
    for (int r = 0; r < rows; r++) {
      java.util.Arrays.fill(x, r * in, r * in + lead, 0f);
      java.util.Arrays.fill(x, (r + 1) * in - tail, (r + 1) * in, 0f);
    }
    float[] w = gaussian(rng, off + in * out + 2);
    float[] d = gaussian(rng, rows * out);

    float[] y0 = gaussian(rng, rows * out);
    float[] y = y0.clone();
    simd.addMatmul(x, rows, in, w, off, out, y);
    for (int r = 0; r < rows; r++) {
      for (int j = 0; j < out; j++) {
        float s = 0f;
        for (int k = 0; k < in; k++) {
          s = Math.fma(x[r * in + k], w[off + k * out + j], s);
        }
        assertSame(y0[r * out + j] + s, y[r * out + j], "X W " + at);
      }
    }

    float[] dx0 = gaussian(rng, rows * in);
    float[] dx = dx0.clone();
    simd.addMatmulTransposed(d, rows, out, w, off, in, dx);
    for (int r = 0; r < rows; r++) {
      for (int i = 0; i < in; i++) {
        float s = 0f;
        for (int j = 0; j < out; j++) {
          s = Math.fma(d[r * out + j], w[off + i * out + j], s);
        }
        assertSame(dx0[r * in + i] + s, dx[r * in + i], "D W^T " + at);
      }
    }

    float[] g0 = gaussian(rng, off + in * out + 2);
    float[] g = g0.clone();
    simd.addOuterProducts(x, rows, in, d, out, g, off);
    for (int i = 0; i < in; i++) {
      for (int j = 0; j < out; j++) {
        float s = 0f;
        for (int r = 0; r < rows; r++) {
          s = Math.fma(x[r * in + i], d[r * out + j], s);
        }
        assertSame(g0[off + i * out + j] + s, g[off + i * out + j], "X^T D " + at);
      }
    }
    for (int i = 0; i < off; i++) {
      assertEquals(g0[i], g[i], "X^T D wrote before its offset at " + at);
    }
    for (int i = off + in * out; i < g0.length; i++) {
      assertEquals(g0[i], g[i], "X^T D wrote past its end at " + at);
    }
  }

  /** Equal as floats ({@code -0 == +0}: the transposed form adds {@code 0 + s} first). */
  private static void assertSame(float expected, float actual, String what) {
    assertTrue(expected == actual || Float.isNaN(expected) && Float.isNaN(actual),
        what + ": expected " + expected + ", got " + actual);
  }

  private static float[] halfZeros(SplittableRandom rng, int n) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = rng.nextBoolean() ? 0f : (float) rng.nextGaussian();
    }
    return a;
  }

  private static float[] gaussian(SplittableRandom rng, int n) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = (float) rng.nextGaussian();
    }
    return a;
  }
}
