package org.metaopt.core.meta;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MetaLrScheduleTest {
  @Test
  void warmsUpLinearlyThenDecaysByCosineToTheFloorAndStaysThere() {
    MetaLrSchedule s = new MetaLrSchedule(10, 100, 0.1);
    assertEquals(0.1, s.factor(0), 1e-12);
    assertEquals(1.0, s.factor(9), 1e-12);
    assertEquals(1.0, s.factor(10), 1e-12);
    assertEquals(0.55, s.factor(60), 1e-12); // half-way through the decay: (1 + 0.1) / 2
    assertEquals(0.1, s.factor(110), 1e-12);
    assertEquals(0.1, s.factor(1_000_000), 1e-12);
    for (long t = 0; t < 10_000; t++) {
      assertEquals(1.0, MetaLrSchedule.CONSTANT.factor(t));
    }
    assertThrows(IllegalArgumentException.class, () -> new MetaLrSchedule(0, 10, 0));
    assertThrows(IllegalArgumentException.class, () -> new MetaLrSchedule(-1, 0, 1));
  }

  @Test
  void theConstantScheduleGivesTheSameBitsAsNoScheduleAndAWarmUpTakesSmallerFirstSteps() {
    float[] a = new float[32];
    float[] b = new float[32];
    float[] c = new float[32];
    MetaOptimizer plain = new MetaOptimizer(32, 1e-2, 10, 1e-3);
    MetaOptimizer constant = new MetaOptimizer(32, 1e-2, 10, 1e-3, MetaLrSchedule.CONSTANT);
    MetaOptimizer warm = new MetaOptimizer(32, 1e-2, 10, 1e-3, new MetaLrSchedule(100, 0, 1));
    SplittableRandom rng = new SplittableRandom(3);
    for (int step = 0; step < 20; step++) {
      float[] g = new float[32];
      for (int i = 0; i < g.length; i++) {
        g[i] = (float) rng.nextGaussian();
      }
      plain.step(a, g.clone());
      constant.step(b, g.clone());
      warm.step(c, g.clone());
      if (step == 0) {
        for (int i = 0; i < a.length; i++) {
          assertEquals(0.01 * a[i], c[i], 1e-4 * Math.abs(a[i])); // first step at 1/100 of the rate
        }
      }
    }
    assertArrayEquals(a, b);
  }
}
