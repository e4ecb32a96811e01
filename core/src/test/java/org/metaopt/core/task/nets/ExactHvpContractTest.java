package org.metaopt.core.task.nets;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.IntFunction;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.metaopt.core.data.DataSplits;
import org.metaopt.core.task.Batch;
import org.metaopt.core.task.Task;

/**
 * The contract of the exact (R-operator) Hessian-vector products of the network tasks, run on tiny instances of
 * each: the product matches central differences of the task's own gradient, and — what no finite difference
 * would pass — it is symmetric ({@code u.Hv = v.Hu}) and linear in the direction to float precision, and
 * independent of how the batch is cut into chunks.
 *
 * <p>Each check runs at a point off the initialization (parameters plus N(0, 0.1^2) noise, so biases are not 0)
 * on a 12-example batch that a batch size of 8 splits into two chunks.
 */
class ExactHvpContractTest {
  /**
   * {@code ||Hu - fd|| / max(||Hu||, ||fd||)} for the best of the steps in {@link #STEPS}. The difference is taken in
   * double between float gradients at float parameters, along the direction actually realised in float. Measured
   * best-step maxima over three directions: logistic 2.3e-5, mlp tanh 2.4e-5, conv [3, 4] + dense 1.9e-5 (step
   * 1e-2), conv [2] + dense 2.4e-4 and conv [4] 3.4e-4 (step 1e-3: at 1e-2 ReLU and pooling kinks are crossed and
   * the error is 0.2-0.5). Float gradient noise alone gives ~1.5e-4 at step 1e-3 and ~2e-3 at 1e-4.
   */
  static final double FD_TOL = 1e-3;
  /** Steps along a unit direction: truncation error falls with the step, float cancellation and kink crossings rise. */
  static final double[] STEPS = {1e-2, 1e-3, 1e-4};
  /**
   * {@code |u.Hv - v.Hu| <= SYM_TOL * (||Hu|| + ||Hv||)} for unit u, v. Measured at most 1.5e-8; a central
   * difference of gradients (step 1e-3) on the conv task misses by 2.5e-3, so this is what tells them apart.
   */
  static final double SYM_TOL = 1e-6;
  /**
   * Additivity and chunking: {@code ||a - b|| <= LIN_TOL * max(||a||, ||b||)}. Measured at most 3.7e-7 (H(2v) is
   * bitwise 2Hv); a central difference of gradients on the conv task misses additivity by 4.6e-4.
   */
  static final double LIN_TOL = 1e-5;

  /** A named task family at a given batch size, built over small synthetic data. */
  record Case(String label, IntFunction<Task> make) {
    @Override
    public String toString() {
      return label;
    }
  }

  private static final DataSplits FLAT = SyntheticData.splits(12, 3, 24, 43);
  private static final DataSplits IMAGES_6 = SyntheticData.splits(36, 3, 24, 44);
  private static final DataSplits IMAGES_5 = SyntheticData.splits(25, 4, 24, 45);

  static Stream<Case> cases() {
    return Stream.of(
        new Case("logistic 12->3", bs -> new LogisticTask("logistic", FLAT, bs)),
        new Case("conv [4] on 6x6", bs -> new ConvTask("conv-4", IMAGES_6, new int[] {4}, new int[0], bs)),
        new Case("conv [3, 4] + dense [5] on 6x6",
            bs -> new ConvTask("conv-3-4-5", IMAGES_6, new int[] {3, 4}, new int[] {5}, bs)),
        new Case("conv [2] + dense [4] on 5x5 (odd side)",
            bs -> new ConvTask("conv-2-4", IMAGES_5, new int[] {2}, new int[] {4}, bs)),
        new Case("mlp tanh [6]", bs -> new MlpTask("mlp-tanh", FLAT, new int[] {6}, Activation.TANH, bs)));
  }

  private static final int BATCH_SIZE = 8;
  private static final Batch BATCH = new Batch(new int[] {3, 17, 0, 9, 22, 5, 5, 14, 11, 20, 1, 8}, 0);

  /** The initial parameters plus N(0, 0.1^2) noise. */
  private static float[] point(Task t, long seed) {
    float[] w = t.initialParams(seed);
    float[] noise = SyntheticData.gaussian(w.length, seed + 1000);
    for (int i = 0; i < w.length; i++) {
      w[i] += 0.1f * noise[i];
    }
    return w;
  }

  private static float[] hvp(Task t, float[] w, Batch b, float[] v) {
    float[] out = new float[w.length];
    t.hessianVectorProduct(w, b, v, out);
    return out;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void reportsAnExactProduct(Case c) {
    assertTrue(c.make().apply(BATCH_SIZE).hasExactHessianVectorProduct(), c.label());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void matchesCentralDifferencesOfTheGradient(Case c) {
    Task t = c.make().apply(BATCH_SIZE);
    float[] w = point(t, 1);
    for (int d = 0; d < 3; d++) {
      float[] v = SyntheticData.unitGaussian(w.length, 300 + d);
      double best = Double.POSITIVE_INFINITY;
      StringBuilder seen = new StringBuilder();
      for (double h : STEPS) {
        double err = finiteDifferenceError(t, w, BATCH, v, h);
        seen.append(" h=").append(h).append(": ").append(err);
        best = Math.min(best, err);
      }
      assertTrue(best <= FD_TOL, c.label() + " direction " + d + ": relative error" + seen);
    }
  }

  /**
   * Relative L2 error of {@code H u} against {@code (g(w + h v) - g(w - h v)) / 2h} in double, where {@code u} is
   * the direction realised by the float parameters {@code (w+ - w-) / 2h}, so parameter rounding is not counted.
   */
  static double finiteDifferenceError(Task t, float[] w, Batch b, float[] v, double h) {
    int n = w.length;
    float[] wp = new float[n];
    float[] wm = new float[n];
    float[] u = new float[n];
    for (int i = 0; i < n; i++) {
      wp[i] = (float) (w[i] + h * v[i]);
      wm[i] = (float) (w[i] - h * v[i]);
      u[i] = (float) (((double) wp[i] - wm[i]) / (2 * h));
    }
    float[] gp = new float[n];
    float[] gm = new float[n];
    t.lossAndGradient(wp, b, gp);
    t.lossAndGradient(wm, b, gm);
    float[] exact = hvp(t, w, b, u);
    double diff = 0;
    double normExact = 0;
    double normFd = 0;
    for (int i = 0; i < n; i++) {
      double fd = ((double) gp[i] - gm[i]) / (2 * h);
      diff += (exact[i] - fd) * (exact[i] - fd);
      normExact += (double) exact[i] * exact[i];
      normFd += fd * fd;
    }
    return Math.sqrt(diff) / Math.max(Math.max(Math.sqrt(normExact), Math.sqrt(normFd)), 1e-12);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void isSymmetricToFloatPrecision(Case c) {
    Task t = c.make().apply(BATCH_SIZE);
    float[] w = point(t, 2);
    for (int d = 0; d < 3; d++) {
      float[] u = SyntheticData.unitGaussian(w.length, 400 + d);
      float[] v = SyntheticData.unitGaussian(w.length, 500 + d);
      float[] hu = hvp(t, w, BATCH, u);
      float[] hv = hvp(t, w, BATCH, v);
      double uhv = SyntheticData.dot(u, hv);
      double vhu = SyntheticData.dot(v, hu);
      double scale = Math.sqrt(SyntheticData.dot(hu, hu)) + Math.sqrt(SyntheticData.dot(hv, hv));
      assertTrue(Math.abs(uhv - vhu) <= SYM_TOL * scale,
          c.label() + " direction " + d + ": u.Hv = " + uhv + ", v.Hu = " + vhu + ", scale " + scale);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void isLinearInTheDirection(Case c) {
    Task t = c.make().apply(BATCH_SIZE);
    float[] w = point(t, 3);
    float[] u = SyntheticData.unitGaussian(w.length, 600);
    float[] v = SyntheticData.unitGaussian(w.length, 601);
    float[] twoV = new float[w.length];
    float[] sum = new float[w.length];
    for (int i = 0; i < w.length; i++) {
      twoV[i] = 2 * v[i];
      sum[i] = u[i] + v[i];
    }
    float[] hu = hvp(t, w, BATCH, u);
    float[] hv = hvp(t, w, BATCH, v);
    float[] hTwoV = hvp(t, w, BATCH, twoV);
    float[] hSum = hvp(t, w, BATCH, sum);
    float[] twoHv = new float[w.length];
    float[] huPlusHv = new float[w.length];
    for (int i = 0; i < w.length; i++) {
      twoHv[i] = 2 * hv[i];
      huPlusHv[i] = hu[i] + hv[i];
    }
    double scaling = SyntheticData.relativeError(hTwoV, twoHv, 1e-12);
    double additivity = SyntheticData.relativeError(hSum, huPlusHv, 1e-12);
    assertTrue(scaling <= LIN_TOL, c.label() + ": ||H(2v) - 2Hv|| relative " + scaling);
    assertTrue(additivity <= LIN_TOL, c.label() + ": ||H(u+v) - Hu - Hv|| relative " + additivity);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void isTheMeanOverTheBatchWhateverTheChunking(Case c) {
    Task chunked = c.make().apply(5);
    Task whole = c.make().apply(32);
    float[] w = point(whole, 4);
    float[] v = SyntheticData.unitGaussian(w.length, 700);
    double err = SyntheticData.relativeError(hvp(chunked, w, BATCH, v), hvp(whole, w, BATCH, v), 1e-12);
    assertTrue(err <= LIN_TOL, c.label() + ": chunks of 5 vs one chunk, relative difference " + err);
    int[] all = new int[24];
    for (int i = 0; i < all.length; i++) {
      all[i] = i;
    }
    double full = SyntheticData.relativeError(hvp(chunked, w, Batch.full(0), v), hvp(whole, w, new Batch(all, 0), v),
        1e-12);
    assertTrue(full <= LIN_TOL, c.label() + ": Batch.full vs all 24 training indices, relative difference " + full);
  }
}
