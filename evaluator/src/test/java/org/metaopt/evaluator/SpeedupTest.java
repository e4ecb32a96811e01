package org.metaopt.evaluator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class SpeedupTest {
  /** A curve that falls linearly from 1 by {@code rate} per point, constant per point of stride 1. */
  private static float[] line(int n, double rate) {
    float[] c = new float[n];
    for (int i = 0; i < n; i++) {
      c[i] = (float) Math.max(0, 1 - rate * i);
    }
    return c;
  }

  @Test
  void theEnvelopeIsThePointwiseMinimumOfSmoothedCurvesThenItsRunningMinimum() {
    float[] a = {4, 1, 4, 4};
    float[] b = {3, 3, 3, 0};
    double[] env = Speedup.envelope(List.of(a, b), 1);
    double[] sa = Speedup.smooth(a, 1);
    double[] sb = Speedup.smooth(b, 1);
    assertEquals(Math.min(sa[0], sb[0]), env[0], 1e-12);
    assertEquals(Math.min(sa[1], sb[1]), env[1], 1e-12);
    assertEquals(Math.min(env[1], Math.min(sa[2], sb[2])), env[2], 1e-12, "running minimum");
    assertEquals(0.95 * 4 + 0.05 * 1, sa[1], 1e-6, "EMA 0.95 per step");
  }

  @Test
  void asFastAsTheEnvelopeIsOneTwiceAsFastTwoHalfAsFastOneHalf() {
    int n = 1000;
    float[] adam = line(n, 1e-3);
    double[] env = Speedup.envelope(List.of(adam), 1);
    assertEquals(1.0, Speedup.of(env, adam, 1, n, false), 1e-9, "Adam against its own envelope");
    // reaches Adam's final loss in ~n/2 steps (then stays at 0)
    assertEquals(2.0, Speedup.of(env, line(n, 2e-3), 1, n, false), 0.06, "less the EMA lag of ~13 steps");
    // ends where Adam was after ~n/2 steps
    assertEquals(0.5, Speedup.of(env, line(n, 0.5e-3), 1, n, false), 0.02);
  }

  @Test
  void aDivergedRunIsZeroAndStrideCountsBlockEnds() {
    float[] adam = {1, 0.9f, 0.8f, 0.7f};
    double[] env = Speedup.envelope(List.of(adam), 1);
    assertEquals(4.0, Speedup.of(env, new float[] {0.1f, 0.1f, 0.1f, 0.1f}, 1, 4, false), 1e-12,
        "below Adam's final loss from the first step");
    assertEquals(0, Speedup.of(env, adam, 1, 4, true));
    // stride 10: a level reached in the envelope's first block counts 10 steps of a 40-step run
    double[] falling = Speedup.envelope(List.of(new float[] {0.5f, 0.4f, 0.4f, 0.4f}), 10);
    assertEquals(10.0 / 40, Speedup.of(falling, new float[] {1f, 1f, 1f, 0.2f}, 10, 40, false), 1e-12);
    assertArrayEquals(new double[0], Speedup.envelope(List.of(), 1));
  }
}
