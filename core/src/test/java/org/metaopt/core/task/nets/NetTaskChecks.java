package org.metaopt.core.task.nets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.metaopt.core.task.Batch;
import org.metaopt.core.task.Evaluation;
import org.metaopt.core.task.FiniteDifferences;
import org.metaopt.core.task.Split;
import org.metaopt.core.task.Task;

/**
 * The numeric contract every network task in this package is tested against: gradients and Hessian-vector
 * products against central finite differences, determinism, evaluation and trainability.
 */
final class NetTaskChecks {
  /** Finite-difference step for loss differences; float losses carry ~1e-7 relative noise, so eps >= 1e-3. */
  static final double FD_EPS = 1e-3;
  /** Directional derivatives: |fd - g.v| <= DIR_TOL * max(|g.v|, 1e-2). Observed errors are ~1e-4. */
  static final double DIR_TOL = 1e-2;
  /** Per coordinate: |fd - g_i| <= COORD_ABS + COORD_REL * |g_i|. */
  static final double COORD_ABS = 2e-4;
  static final double COORD_REL = 1e-2;
  /** Hessian-vector products: ||Hv_exact - Hv_fd|| / max(||.||) < HVP_TOL, with a unit v and relStep 1e-2. */
  static final double HVP_TOL = 1e-2;
  static final double HVP_REL_STEP = 1e-2;

  private NetTaskChecks() {}

  /** Analytic gradient vs central differences, per coordinate and along five random directions. */
  static void gradientMatchesFiniteDifferences(Task task, long seed) {
    float[] params = task.initialParams(seed);
    Batch batch = task.sampleBatch(new SplittableRandom(seed + 1));
    float[] grad = new float[task.numParams()];
    task.lossAndGradient(params, batch, grad);
    for (int d = 0; d < 5; d++) {
      float[] v = SyntheticData.unitGaussian(task.numParams(), seed + 100 + d);
      double exact = SyntheticData.dot(grad, v);
      assertDerivative(task, params, batch, v, exact, DIR_TOL * Math.max(Math.abs(exact), 1e-2),
          task.name() + " direction " + d);
    }
    float[] e = new float[task.numParams()];
    for (int i = 0; i < e.length; i++) {
      e[i] = 1f;
      assertDerivative(task, params, batch, e, grad[i], COORD_ABS + COORD_REL * Math.abs(grad[i]),
          task.name() + " coordinate " + i + " of " + task.layout());
      e[i] = 0f;
    }
  }

  /**
   * The central difference along {@code v} must match {@code exact} within {@code tol}. ReLU and max-pooling
   * make the loss piecewise smooth, and a step of 1e-3 can cross a kink (seen in tests: one-sided differences
   * 0.0377 and 0.0415, analytic 0.0377); the one-sided difference on the kink-free side stays right. So when the
   * central difference misses, the one-sided difference closer to {@code exact} must match within {@code 3 tol}
   * (one-sided differences have O(eps) truncation error, hence the looser bound).
   */
  static void assertDerivative(Task task, float[] params, Batch batch, float[] v, double exact, double tol,
      String what) {
    double f0 = task.loss(params, batch);
    double fp = task.loss(shifted(params, v, FD_EPS), batch);
    double fm = task.loss(shifted(params, v, -FD_EPS), batch);
    double central = (fp - fm) / (2 * FD_EPS);
    double forward = (fp - f0) / FD_EPS;
    double backward = (f0 - fm) / FD_EPS;
    if (Math.abs(central - exact) <= tol) {
      return;
    }
    double oneSided = Math.abs(forward - exact) < Math.abs(backward - exact) ? forward : backward;
    assertTrue(Math.abs(oneSided - exact) <= 3 * tol, what + ": analytic " + exact + ", central " + central
        + ", forward " + forward + ", backward " + backward + ", tolerance " + tol);
  }

  private static float[] shifted(float[] p, float[] v, double eps) {
    float[] w = new float[p.length];
    for (int i = 0; i < p.length; i++) {
      w[i] = (float) (p[i] + eps * v[i]);
    }
    return w;
  }

  /** Exact Hessian-vector product vs central differences of the gradient, along three unit directions. */
  static void hessianVectorProductMatchesFiniteDifferences(Task task, long seed) {
    hessianVectorProductMatchesFiniteDifferences(task, seed, HVP_REL_STEP);
  }

  /**
   * As {@link #hessianVectorProductMatchesFiniteDifferences(Task, long)} with another step: ReLU and max-pooling
   * networks need a smaller one (at 1e-2 a unit direction moves some pre-activations across 0, and one crossing
   * changes the gradient by O(1), seen as relative errors up to 0.97 on the conv tasks).
   */
  static void hessianVectorProductMatchesFiniteDifferences(Task task, long seed, double relStep) {
    float[] params = task.initialParams(seed);
    Batch batch = task.sampleBatch(new SplittableRandom(seed + 1));
    int n = task.numParams();
    for (int d = 0; d < 3; d++) {
      float[] v = SyntheticData.unitGaussian(n, seed + 200 + d);
      float[] exact = new float[n];
      float[] fd = new float[n];
      task.hessianVectorProduct(params, batch, v, exact);
      FiniteDifferences.hessianVectorProduct(task, params, batch, v, fd, relStep);
      double err = SyntheticData.relativeError(exact, fd, 1e-3);
      assertTrue(err < HVP_TOL, task.name() + " direction " + d + ": relative error " + err);
    }
  }

  /** Same seed gives the same parameters, batch and loss; another seed gives other parameters. */
  static void sameSeedGivesSameInitAndLoss(Task a, Task b) {
    assertArrayEquals(a.initialParams(7), b.initialParams(7));
    assertTrue(!java.util.Arrays.equals(a.initialParams(7), a.initialParams(8)), "seeds 7 and 8 gave equal params");
    Batch ba = a.sampleBatch(new SplittableRandom(3));
    Batch bb = b.sampleBatch(new SplittableRandom(3));
    assertArrayEquals(ba.indices(), bb.indices());
    assertEquals(ba.seed(), bb.seed());
    float[] ga = new float[a.numParams()];
    float[] gb = new float[b.numParams()];
    assertEquals(a.lossAndGradient(a.initialParams(7), ba, ga), b.lossAndGradient(b.initialParams(7), bb, gb));
    assertArrayEquals(ga, gb);
    assertEquals(a.loss(a.initialParams(7), ba), a.lossAndGradient(a.initialParams(7), ba, ga), 0.0);
  }

  /** Accuracy is in [0, 1] and the train-split loss equals the loss of the batch holding the whole split. */
  static void evaluateMatchesWholeSplitBatch(Task task, int trainSize) {
    float[] params = task.initialParams(5);
    for (Split s : Split.values()) {
      Evaluation e = task.evaluate(params, s);
      assertTrue(e.hasAccuracy() && e.accuracy() >= 0 && e.accuracy() <= 1, s + " accuracy " + e.accuracy());
      assertTrue(task.hasSplit(s), s.toString());
    }
    int[] all = new int[trainSize];
    for (int i = 0; i < trainSize; i++) {
      all[i] = i;
    }
    double whole = task.loss(params, new Batch(all, 0));
    assertEquals(whole, task.evaluate(params, Split.TRAIN).loss(), 1e-6 * Math.abs(whole));
    assertEquals(whole, task.loss(params, Batch.full(0)), 1e-6 * Math.abs(whole));
  }

  /** 200 steps of SGD on the (separable) training split cut the full training loss by at least {@code factor}. */
  static void sgdReducesTrainingLoss(Task task, float lr, double factor) {
    float[] params = task.initialParams(11);
    double before = task.evaluate(params, Split.TRAIN).loss();
    SplittableRandom rng = new SplittableRandom(12);
    float[] grad = new float[task.numParams()];
    for (int step = 0; step < 200; step++) {
      task.lossAndGradient(params, task.sampleBatch(rng), grad);
      for (int i = 0; i < params.length; i++) {
        params[i] -= lr * grad[i];
      }
    }
    double after = task.evaluate(params, Split.TRAIN).loss();
    assertTrue(after < before / factor, task.name() + ": loss " + before + " -> " + after);
  }
}
