package org.metaopt.core.task;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Arrays;
import org.metaopt.core.task.quadratic.QuadraticTask;
import org.junit.jupiter.api.Test;

class NoisyGradientTaskTest {

  @Test
  void noiseHasTheRequestedScaleAndIsReproduciblePerBatch() {
    QuadraticTask q = new QuadraticTask("q", 2000, 10, false, 1);
    NoisyGradientTask noisy = new NoisyGradientTask(q, 0.5);
    float[] w = q.initialParams(1);
    float[] clean = new float[2000];
    float[] g1 = new float[2000];
    float[] g2 = new float[2000];
    q.lossAndGradient(w, Batch.full(42), clean);
    double l1 = noisy.lossAndGradient(w, Batch.full(42), g1);
    noisy.lossAndGradient(w, Batch.full(42), g2);
    assertArrayEquals(g1, g2);
    assertEquals(q.loss(w, Batch.full(42)), l1, 0.0);
    double var = 0;
    for (int i = 0; i < 2000; i++) {
      var += (g1[i] - clean[i]) * (double) (g1[i] - clean[i]);
    }
    // Sample std of 2000 N(0, 0.25) draws is within 0.5 +- 0.03 with overwhelming probability.
    assertEquals(0.5, Math.sqrt(var / 2000), 0.03);
    noisy.lossAndGradient(w, Batch.full(43), g2);
    assertFalse(Arrays.equals(g1, g2));
  }
}
