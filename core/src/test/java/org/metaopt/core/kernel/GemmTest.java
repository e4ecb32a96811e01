package org.metaopt.core.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.metaopt.core.UserError;

/**
 * Both {@link Gemm} backends agree on every product, at random shapes and at the auto threshold. Tolerance: each
 * entry within {@code 1e-5} of the sum of the absolute values of the terms it adds (a relative bound that holds
 * under cancellation; float32 rounding is about {@code sqrt(k) * 6e-8} of it).
 */
class GemmTest {
  private static final double REL = 1e-5;

  @Test
  void plainAndNd4jAgreeOnRandomShapesAndAtTheThreshold() {
    SplittableRandom rng = new SplittableRandom(11);
    int[][] shapes = {{1, 1, 1}, {3, 5, 7}, {17, 33, 9}, {64, 32, 10}, {128, 784, 10}, {128, 128, 32},
        {127, 128, 32}, {thresholdRows(64, 64), 64, 64}, {128, 784, 128}};
    for (int[] s : shapes) {
      checkShape(rng, s[0], s[1], s[2]);
    }
    for (int t = 0; t < 6; t++) {
      checkShape(rng, 1 + rng.nextInt(100), 1 + rng.nextInt(300), 1 + rng.nextInt(80));
    }
  }

  @Test
  void autoSwitchesToNd4jExactlyAtTheThreshold() {
    Gemm auto = new Gemm(Gemm.Backend.AUTO);
    int rows = thresholdRows(64, 64);
    assertTrue(auto.usesNd4j(rows, 64, 64));
    assertFalse(auto.usesNd4j(rows - 1, 64, 64));
    assertFalse(new Gemm(Gemm.Backend.PLAIN).usesNd4j(10_000, 1000, 1000));
    assertTrue(new Gemm(Gemm.Backend.ND4J).usesNd4j(1, 1, 1));
  }

  @Test
  void smallProductsUnderAutoNeverStartNd4j() {
    Gemm auto = new Gemm(Gemm.Backend.AUTO);
    float[] in = new float[64 * 32];
    float[] w = new float[32 * 10];
    float[] out = new float[64 * 10];
    auto.addMatmul(in, 64, 32, w, 0, 10, out);
    auto.addMatmulTransposed(out, 64, 10, w, 0, 32, in);
    auto.addOuterProducts(in, 64, 32, out, 10, w, 0);
    assertFalse(auto.usedNd4j());
  }

  @Test
  void propertySelectsTheBackendAndRejectsUnknownNames() {
    String old = System.getProperty("metaopt.gemm");
    try {
      System.setProperty("metaopt.gemm", "ND4J");
      assertEquals(Gemm.Backend.ND4J, new Gemm().backend());
      System.setProperty("metaopt.gemm", "plain");
      assertEquals(Gemm.Backend.PLAIN, new Gemm().backend());
      System.clearProperty("metaopt.gemm");
      assertEquals(Gemm.Backend.AUTO, new Gemm().backend());
      System.setProperty("metaopt.gemm", "blas");
      UserError e = assertThrows(UserError.class, Gemm::new);
      assertTrue(e.getMessage().contains("plain, nd4j or auto"), e.getMessage());
    } finally {
      if (old == null) {
        System.clearProperty("metaopt.gemm");
      } else {
        System.setProperty("metaopt.gemm", old);
      }
    }
  }

  /** The smallest row count whose {@code rows * in * out} reaches the threshold. */
  private static int thresholdRows(int in, int out) {
    return (int) ((Gemm.ND4J_MIN_WORK + (long) in * out - 1) / ((long) in * out));
  }

  private static void checkShape(SplittableRandom rng, int rows, int in, int out) {
    String at = rows + "x" + in + "x" + out;
    Gemm plain = new Gemm(Gemm.Backend.PLAIN);
    Gemm nd4j = new Gemm(Gemm.Backend.ND4J);
    int wOff = 5;
    float[] x = halfZeros(rng, rows * in);
    float[] w = gaussian(rng, wOff + in * out + 3);
    float[] d = gaussian(rng, rows * out);

    float[] y0 = gaussian(rng, rows * out);
    float[] y1 = y0.clone();
    plain.addMatmul(x, rows, in, w, wOff, out, y1);
    float[] y2 = y0.clone();
    nd4j.addMatmul(x, rows, in, w, wOff, out, y2);
    for (int r = 0; r < rows; r++) {
      for (int j = 0; j < out; j++) {
        double mag = Math.abs(y0[r * out + j]);
        for (int k = 0; k < in; k++) {
          mag += Math.abs(x[r * in + k] * w[wOff + k * out + j]);
        }
        assertClose(y1[r * out + j], y2[r * out + j], mag, "X W " + at);
      }
    }

    float[] dx0 = gaussian(rng, rows * in);
    float[] dx1 = dx0.clone();
    plain.addMatmulTransposed(d, rows, out, w, wOff, in, dx1);
    float[] dx2 = dx0.clone();
    nd4j.addMatmulTransposed(d, rows, out, w, wOff, in, dx2);
    for (int r = 0; r < rows; r++) {
      for (int k = 0; k < in; k++) {
        double mag = Math.abs(dx0[r * in + k]);
        for (int j = 0; j < out; j++) {
          mag += Math.abs(d[r * out + j] * w[wOff + k * out + j]);
        }
        assertClose(dx1[r * in + k], dx2[r * in + k], mag, "D W^T " + at);
      }
    }

    float[] g0 = gaussian(rng, wOff + in * out + 3);
    float[] g1 = g0.clone();
    plain.addOuterProducts(x, rows, in, d, out, g1, wOff);
    float[] g2 = g0.clone();
    nd4j.addOuterProducts(x, rows, in, d, out, g2, wOff);
    for (int k = 0; k < in; k++) {
      for (int j = 0; j < out; j++) {
        int i = wOff + k * out + j;
        double mag = Math.abs(g0[i]);
        for (int r = 0; r < rows; r++) {
          mag += Math.abs(x[r * in + k] * d[r * out + j]);
        }
        assertClose(g1[i], g2[i], mag, "X^T D " + at);
      }
    }
    for (int i = 0; i < wOff; i++) {
      assertEquals(g0[i], g2[i], "X^T D wrote before its offset at " + at);
    }
    for (int i = wOff + in * out; i < g0.length; i++) {
      assertEquals(g0[i], g2[i], "X^T D wrote past its end at " + at);
    }
  }

  private static void assertClose(float a, float b, double mag, String what) {
    assertTrue(Math.abs(a - b) <= REL * Math.max(mag, 1e-30), what + ": plain " + a + " vs nd4j " + b + " (scale " + mag + ")");
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
