package org.metaopt.core.flatness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.metaopt.core.task.Batch;
import org.metaopt.core.task.quadratic.QuadraticTask;

class TopEigenvalueTest {
  // d = 30, kappa = 1000: the top two eigenvalues differ by a factor 1000^(1/29) ≈ 1.27.
  private static final QuadraticTask TASK = new QuadraticTask("q", 30, 1000, true, 5);
  private static final double[] EIG = TASK.eigenvalues();
  private static final double TOP = EIG[EIG.length - 1];

  @Test
  void hundredIterationsFindTopEigenvalueWithinOnePercent() {
    TopEigenvalue.Estimate e = new TopEigenvalue(100, 0).estimate(TASK, TASK.initialParams(0), Batch.full(0), 1);
    assertEquals(TOP, e.eigenvalue(), 0.01 * TOP);
    assertEquals(100, e.iterations());
    assertFalse(e.converged());
  }

  @Test
  void defaultTenIterationsGiveRayleighQuotientBelowTopEigenvalue() {
    TopEigenvalue.Estimate e = new TopEigenvalue().estimate(TASK, TASK.initialParams(0), Batch.full(0), 2);
    assertTrue(e.eigenvalue() <= TOP * (1 + 1e-5) && e.eigenvalue() > 0.5 * TOP, "estimate " + e.eigenvalue());
    assertEquals(10, e.iterations());
  }

  @Test
  void toleranceStopsEarlyOnceConverged() {
    TopEigenvalue.Estimate e = new TopEigenvalue(1000, 1e-6).estimate(TASK, TASK.initialParams(0), Batch.full(0), 3);
    assertTrue(e.converged());
    assertTrue(e.iterations() < 1000, "iterations " + e.iterations());
    assertEquals(TOP, e.eigenvalue(), 0.01 * TOP);
  }

  @Test
  void sameSeedGivesSameEstimate() {
    float[] w = TASK.initialParams(4);
    assertEquals(new TopEigenvalue().estimate(TASK, w, Batch.full(0), 8), new TopEigenvalue().estimate(TASK, w, Batch.full(0), 8));
  }

  @Test
  void nonFiniteHessianVectorProductGivesNaN() {
    PoisonedTask bad = new PoisonedTask(TASK, false, true);
    assertTrue(Double.isNaN(new TopEigenvalue().estimate(bad, bad.initialParams(0), Batch.full(0), 1).eigenvalue()));
  }
}
