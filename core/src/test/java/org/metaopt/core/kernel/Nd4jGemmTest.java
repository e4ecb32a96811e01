package org.metaopt.core.kernel;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The ND4J products agree with the plain kernels (relative L2 error below 1e-5) on shapes around the threshold. */
class Nd4jGemmTest {

  private static float[] random(int n, long seed, boolean halfZeros) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = halfZeros && r.nextBoolean() ? 0f : (float) r.nextGaussian();
    }
    return x;
  }

  private static double relErr(float[] a, float[] b) {
    double d = 0;
    double n = 0;
    for (int i = 0; i < a.length; i++) {
      d += (a[i] - b[i]) * (double) (a[i] - b[i]);
      n += (double) b[i] * b[i];
    }
    return Math.sqrt(d / Math.max(n, 1e-30));
  }

  @ParameterizedTest
  @CsvSource({"3, 5, 7", "128, 784, 128", "64, 196, 64", "17, 33, 10"})
  void matmulAndOuterProductsMatchThePlainKernels(int rows, int in, int out) {
    float[] x = random(rows * in, 1, true);
    float[] w = random(5 + in * out, 2, false); // weights at an offset of 5
    float[] bias = random(rows * out, 3, false);
    float[] plain = bias.clone();
    float[] nd = bias.clone();
    DenseOps.addMatmul(x, rows, in, w, 5, out, plain);
    Nd4jGemm g = new Nd4jGemm();
    g.addMatmul(x, rows, in, w, 5, out, nd);
    assertTrue(relErr(nd, plain) < 1e-5, "matmul " + relErr(nd, plain));

    float[] d = random(rows * out, 4, false);
    float[] gp = random(7 + in * out, 5, false);
    float[] gn = gp.clone();
    DenseOps.addOuterProducts(x, rows, in, d, out, gp, 7);
    g.addOuterProducts(x, rows, in, d, out, gn, 7);
    assertTrue(relErr(gn, gp) < 1e-5, "outer products " + relErr(gn, gp));
  }
}
