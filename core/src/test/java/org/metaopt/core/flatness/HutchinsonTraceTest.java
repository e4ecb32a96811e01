package org.metaopt.core.flatness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.metaopt.core.task.Batch;
import org.metaopt.core.task.quadratic.QuadraticTask;

class HutchinsonTraceTest {
  private static final QuadraticTask ROTATED = new QuadraticTask("q", 40, 100, true, 7);
  private static final double EXACT = Arrays.stream(ROTATED.eigenvalues()).sum();

  @Test
  void tenProbesLandWithinThreeStandardErrorsOfExactTrace() {
    HutchinsonTrace h = new HutchinsonTrace();
    float[] w = ROTATED.initialParams(1);
    int within = 0;
    for (long seed = 0; seed < 5; seed++) {
      HutchinsonTrace.Estimate e = h.estimate(ROTATED, w, Batch.full(0), seed);
      assertTrue(e.standardError() > 0, "rotated Hessian has off-diagonal entries, so probes vary");
      if (Math.abs(e.trace() - EXACT) <= 3 * e.standardError()) {
        within++;
      }
    }
    assertTrue(within >= 4, within + " of 5 estimates within 3 standard errors of " + EXACT);
  }

  @Test
  void twoHundredProbesGiveTraceWithinTenPercent() {
    HutchinsonTrace.Estimate e = new HutchinsonTrace(200).estimate(ROTATED, ROTATED.initialParams(1), Batch.full(0), 3);
    assertEquals(EXACT, e.trace(), 0.10 * EXACT);
    assertTrue(Math.abs(e.trace() - EXACT) <= 3 * e.standardError());
  }

  @Test
  void diagonalHessianGivesExactTraceWithZeroError() {
    QuadraticTask diag = new QuadraticTask("d", 25, 50, false, 0);
    double exact = Arrays.stream(diag.eigenvalues()).sum();
    HutchinsonTrace.Estimate e = new HutchinsonTrace(4).estimate(diag, diag.initialParams(0), Batch.full(0), 9);
    assertEquals(exact, e.trace(), 1e-5);
    assertEquals(0, e.standardError(), 1e-5);
  }

  @Test
  void sameSeedGivesSameEstimate() {
    float[] w = ROTATED.initialParams(2);
    HutchinsonTrace h = new HutchinsonTrace();
    assertEquals(h.estimate(ROTATED, w, Batch.full(0), 11), new HutchinsonTrace().estimate(ROTATED, w, Batch.full(0), 11));
  }

  @Test
  void nonFiniteHessianVectorProductGivesNaN() {
    PoisonedTask bad = new PoisonedTask(ROTATED, false, true);
    HutchinsonTrace.Estimate e = new HutchinsonTrace().estimate(bad, bad.initialParams(0), Batch.full(0), 1);
    assertTrue(Double.isNaN(e.trace()) && Double.isNaN(e.standardError()));
  }
}
