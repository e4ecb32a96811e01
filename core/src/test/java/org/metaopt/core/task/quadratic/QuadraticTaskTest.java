package org.metaopt.core.task.quadratic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.metaopt.core.task.Batch;
import org.metaopt.core.task.TaskChecks;
import org.junit.jupiter.api.Test;

class QuadraticTaskTest {

  @Test
  void gradientAndHessianVectorProductMatchFiniteDifferences() {
    QuadraticTask q = new QuadraticTask("q", 20, 100, true, 7);
    float[] w = q.initialParams(3);
    // Tolerances: float parameters, eps 1e-3 on a quadratic (exact central difference up to rounding): 1e-3 rel.
    TaskChecks.assertGradientMatchesFiniteDifferences(q, w, Batch.full(1), 1e-3, 1e-3, 1e-6);
    TaskChecks.assertHessianVectorProductMatchesFiniteDifferences(q, w, Batch.full(1), 1e-2, 1e-3, 1e-6);
  }

  @Test
  void startsOnTheUnitSphereWithEigenvaluesFromOneOverKappaToOne() {
    QuadraticTask q = new QuadraticTask("q", 20, 50, true, 1);
    float[] w = q.initialParams(5);
    double n = 0;
    for (float x : w) {
      n += x * x;
    }
    assertEquals(1.0, Math.sqrt(n), 1e-6);
    double[] ev = q.eigenvalues();
    assertEquals(1.0 / 50, ev[0], 1e-12);
    assertEquals(1.0, ev[19], 1e-12);
  }

  @Test
  void rotatedQuadraticHasTheSameSpectrum() {
    // w^T H w at eigen-directions: H's trace equals the sum of eigenvalues whatever the rotation.
    QuadraticTask q = new QuadraticTask("q", 10, 10, true, 3);
    double trace = 0;
    float[] e = new float[10];
    float[] out = new float[10];
    for (int i = 0; i < 10; i++) {
      java.util.Arrays.fill(e, 0f);
      e[i] = 1;
      q.hessianVectorProduct(e, Batch.full(0), e, out);
      trace += out[i];
    }
    double sum = 0;
    for (double l : q.eigenvalues()) {
      sum += l;
    }
    assertEquals(sum, trace, 1e-5);
  }

  @Test
  void sameSeedGivesSameProblem() {
    QuadraticTask a = new QuadraticTask("q", 8, 10, true, 9);
    QuadraticTask b = new QuadraticTask("q", 8, 10, true, 9);
    float[] w = a.initialParams(1);
    assertArrayEquals(w, b.initialParams(1));
    assertEquals(a.loss(w, Batch.full(0)), b.loss(w, Batch.full(0)));
  }
}
