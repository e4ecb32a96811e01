package org.metaopt.core.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.metaopt.core.task.quadratic.QuadraticTask;

class ReparamTaskTest {
  private final QuadraticTask inner = new QuadraticTask("q", 12, 10, true, 4);

  @Test
  void presentsTheSameProblemAtAnotherScale() {
    for (double s : new double[] {1e-3, 0.5, 7, 1e3}) {
      ReparamTask t = new ReparamTask(inner, s);
      float[] u0 = inner.initialParams(3);
      float[] w0 = t.initialParams(3);
      for (int i = 0; i < u0.length; i++) {
        assertEquals(u0[i] / s, w0[i], 1e-6 * Math.abs(u0[i] / s), "w0 = u0 / s");
      }
      assertEquals(inner.loss(u0, Batch.full(0)), t.loss(w0, Batch.full(0)), 1e-5 * inner.loss(u0, Batch.full(0)),
          "the loss of s·w0 is the inner loss at u0");
      assertEquals(inner.evaluate(u0, Split.TRAIN).loss(), t.evaluate(w0, Split.TRAIN).loss(), 1e-5);
    }
  }

  @Test
  void gradientAndHessianVectorProductFollowTheChainRule() {
    for (double s : new double[] {0.01, 3, 200}) {
      ReparamTask t = new ReparamTask(inner, s);
      float[] w = t.initialParams(5);
      TaskChecks.assertGradientMatchesFiniteDifferences(t, w, Batch.full(1), 1e-3 / s, 2e-2, 1e-3);
      TaskChecks.assertHessianVectorProductMatchesFiniteDifferences(t, w, Batch.full(1), 1e-3 / s, 2e-2, 1e-3);
    }
  }

  @Test
  void rejectsANonPositiveScale() {
    assertThrows(IllegalArgumentException.class, () -> new ReparamTask(inner, 0));
    assertThrows(IllegalArgumentException.class, () -> new ReparamTask(inner, Double.POSITIVE_INFINITY));
  }
}
