package org.metaopt.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class LossCurveTest {
  @Test
  void keepsAtMostTwoHundredPointsAndEveryStepUpToThat() {
    assertEquals(1, LossCurve.stride(1));
    assertEquals(1, LossCurve.stride(200));
    assertEquals(2, LossCurve.stride(201));
    assertEquals(5, LossCurve.stride(1000));
    for (int steps : new int[] {1, 199, 200, 201, 999, 1000, 5003}) {
      int points = LossCurve.downsample(new float[steps], steps, LossCurve.stride(steps)).length;
      assertEquals(true, points <= LossCurve.MAX_POINTS && points >= Math.min(steps, 100), steps + " -> " + points);
    }
  }

  @Test
  void pointsAreBucketMeansWithAShorterLastBucket() {
    float[] losses = {1, 3, 5, 7, 9, 100};
    assertArrayEquals(new float[] {2, 6, 9}, LossCurve.downsample(losses, 5, 2));
  }

  @Test
  void meanIsPointwiseAndRejectsRaggedCurves() {
    assertArrayEquals(new float[] {2, 3}, LossCurve.mean(List.of(new float[] {1, 2}, new float[] {3, 4})));
    assertEquals(0, LossCurve.mean(List.of()).length);
    assertThrows(IllegalArgumentException.class, () -> LossCurve.mean(List.of(new float[1], new float[2])));
  }
}
