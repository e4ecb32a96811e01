package org.metaopt.core.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link CosineSchedule}: linear warm-up over 5% of the run, cosine decay to exactly 0 at the last step. */
class CosineScheduleTest {

  @Test
  void warmsUpLinearlyOverTheFirstFivePercent() {
    CosineSchedule s = new CosineSchedule(1000);
    assertEquals(50, s.warmupSteps());
    assertEquals(1.0 / 50, s.factor(0), 1e-15);
    assertEquals(25.0 / 50, s.factor(24), 1e-15);
    assertEquals(1.0, s.factor(49), 0.0); // end of warm-up
    assertEquals(1.0, s.factor(50), 0.0); // start of the decay
  }

  @Test
  void decaysByCosineToHalfAtTheMiddleOfTheDecayAndZeroAtTheLastStep() {
    CosineSchedule s = new CosineSchedule(1000);
    // decay over steps 50..999, 949 intervals
    assertEquals(0.5 * (1 + Math.cos(Math.PI * 450 / 949)), s.factor(500), 1e-15); // 50% of the run
    assertEquals(0.5, new CosineSchedule(1001).factor(50 + 475), 1e-12); // halfway through its 950-step decay
    assertEquals(0.0, s.factor(999), 0.0);
    assertEquals(0.0, s.factor(5000), 0.0); // after the run
    assertTrue(s.factor(998) > 0);
    double previous = 1;
    for (int t = 50; t < 1000; t++) {
      double f = s.factor(t);
      assertTrue(f <= previous, "not decreasing at " + t);
      previous = f;
    }
  }

  @Test
  void shortRunsStillWarmUpForOneStepAndEndAtZero() {
    assertEquals(1.0, new CosineSchedule(1).factor(0));
    assertEquals(0.0, new CosineSchedule(1).factor(1));
    CosineSchedule two = new CosineSchedule(2);
    assertEquals(1.0, two.factor(0));
    assertEquals(0.0, two.factor(1));
    CosineSchedule three = new CosineSchedule(3);
    assertEquals(1.0, three.factor(0));
    assertEquals(1.0, three.factor(1));
    assertEquals(0.0, three.factor(2));
    CosineSchedule half = new CosineSchedule(4, 0.9); // warm-up capped at T - 1 steps
    assertEquals(3, half.warmupSteps());
    assertEquals(1.0 / 3, half.factor(0), 1e-15);
    assertEquals(0.0, half.factor(3));
  }

  @ParameterizedTest
  @ValueSource(ints = {0, -1})
  void rejectsRunsWithoutSteps(int totalSteps) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new CosineSchedule(totalSteps));
    assertTrue(e.getMessage().contains("totalSteps"), e.getMessage());
  }

  @Test
  void rejectsWarmupFractionsOutsideZeroToOneAndNegativeSteps() {
    assertThrows(IllegalArgumentException.class, () -> new CosineSchedule(10, 1.0));
    assertThrows(IllegalArgumentException.class, () -> new CosineSchedule(10, -0.1));
    assertThrows(IllegalArgumentException.class, () -> new CosineSchedule(10, Double.NaN));
    assertThrows(IllegalArgumentException.class, () -> new CosineSchedule(10).factor(-1));
  }
}
