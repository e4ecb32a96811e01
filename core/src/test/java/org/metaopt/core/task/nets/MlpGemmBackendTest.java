package org.metaopt.core.task.nets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Arrays;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.metaopt.core.data.DataSplits;
import org.metaopt.core.kernel.Gemm;
import org.metaopt.core.kernel.Simd;
import org.metaopt.core.task.Batch;

/**
 * {@link MlpTask} gives the same loss, gradient and R-operator Hessian-vector product whether its products run
 * plain, in ND4J or on the Vector API kernel (forced by {@code -Dmetaopt.gemm}). Tolerance: loss within
 * {@code 1e-6} relative, gradient and {@code H v} within {@code 1e-5} relative error in Euclidean norm (float32 sums
 * in different orders).
 */
class MlpGemmBackendTest {

  @Test
  void lossGradientAndHessianVectorProductAgreeBetweenPlainAndNd4j() {
    int f = 96;
    int n = 40;
    DataSplits data = SyntheticData.splits(f, 5, n, 21);
    // batch 16 splits the 40 rows into chunks of 16, 16 and 8, so ND4J also sees a smaller last chunk
    MlpTask plain = withBackend("plain", () -> new MlpTask("p", data, new int[] {48, 24}, Activation.TANH, 16));
    MlpTask nd4j = withBackend("nd4j", () -> new MlpTask("n", data, new int[] {48, 24}, Activation.TANH, 16));
    assertEquals(Gemm.Backend.PLAIN, plain.gemm().backend());
    assertEquals(Gemm.Backend.ND4J, nd4j.gemm().backend());

    float[] p = plain.initialParams(3);
    int[] all = new int[n];
    Arrays.setAll(all, i -> i);
    Batch batch = new Batch(all, 0);
    float[] g1 = new float[p.length];
    float[] g2 = new float[p.length];
    double l1 = plain.lossAndGradient(p, batch, g1);
    double l2 = nd4j.lossAndGradient(p, batch, g2);
    assertEquals(l1, l2, 1e-6 * Math.abs(l1));
    assertTrue(SyntheticData.relativeError(g1, g2, 1e-12) < 1e-5, "gradient");

    float[] v = SyntheticData.unitGaussian(p.length, 9);
    float[] h1 = new float[p.length];
    float[] h2 = new float[p.length];
    plain.hessianVectorProduct(p, batch, v, h1);
    nd4j.hessianVectorProduct(p, batch, v, h2);
    double err = SyntheticData.relativeError(h1, h2, 1e-12);
    assertTrue(err < 1e-5, "H v relative error " + err);
    assertTrue(nd4j.gemm().usedNd4j());
    assertFalse(plain.gemm().usedNd4j());
  }

  @Test
  void lossGradientAndHessianVectorProductAgreeBetweenPlainAndSimd() {
    assumeTrue(Simd.ENABLED, "needs --add-modules jdk.incubator.vector");
    DataSplits data = SyntheticData.splits(70, 7, 45, 22);
    // hidden widths 40 and 17 and 7 classes: partial vectors and panels; batch 16 gives chunks of 16, 16 and 13
    MlpTask plain = withBackend("plain", () -> new MlpTask("p", data, new int[] {40, 17}, Activation.RELU, 16));
    MlpTask simd = withBackend("simd", () -> new MlpTask("s", data, new int[] {40, 17}, Activation.RELU, 16));
    assertEquals(Gemm.Backend.SIMD, simd.gemm().backend());
    float[] p = plain.initialParams(4);
    int[] all = new int[45];
    Arrays.setAll(all, i -> i);
    Batch batch = new Batch(all, 0);
    float[] g1 = new float[p.length];
    float[] g2 = new float[p.length];
    double l1 = plain.lossAndGradient(p, batch, g1);
    double l2 = simd.lossAndGradient(p, batch, g2);
    assertEquals(l1, l2, 1e-6 * Math.abs(l1));
    assertTrue(SyntheticData.relativeError(g1, g2, 1e-12) < 1e-5, "gradient");
    float[] v = SyntheticData.unitGaussian(p.length, 8);
    float[] h1 = new float[p.length];
    float[] h2 = new float[p.length];
    plain.hessianVectorProduct(p, batch, v, h1);
    simd.hessianVectorProduct(p, batch, v, h2);
    double err = SyntheticData.relativeError(h1, h2, 1e-12);
    assertTrue(err < 1e-5, "H v relative error " + err);
  }

  @Test
  void smallNetworkUnderAutoNeverStartsNd4j() {
    DataSplits data = SyntheticData.splits(64, 10, 64, 4);
    MlpTask task = withBackend("auto", () -> new MlpTask("s", data, new int[] {32}, Activation.RELU, 64));
    float[] p = task.initialParams(1);
    int[] all = new int[64];
    Arrays.setAll(all, i -> i);
    Batch batch = new Batch(all, 0);
    task.lossAndGradient(p, batch, new float[p.length]);
    task.hessianVectorProduct(p, batch, SyntheticData.unitGaussian(p.length, 2), new float[p.length]);
    assertFalse(task.gemm().usedNd4j());
  }

  private static MlpTask withBackend(String name, Supplier<MlpTask> make) {
    String old = System.getProperty("metaopt.gemm");
    System.setProperty("metaopt.gemm", name);
    try {
      return make.get();
    } finally {
      if (old == null) {
        System.clearProperty("metaopt.gemm");
      } else {
        System.setProperty("metaopt.gemm", old);
      }
    }
  }
}
