package org.metaopt.core.task.linear;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.metaopt.core.data.DataSplits;
import org.metaopt.core.data.Dataset;
import org.metaopt.core.task.Batch;
import org.metaopt.core.task.Split;
import org.metaopt.core.task.TaskChecks;
import org.junit.jupiter.api.Test;

class LeastSquaresTaskTest {

  private static Dataset regression(int n, int d, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    float[] x = new float[n * d];
    float[] y = new float[n];
    for (int i = 0; i < n * d; i++) {
      x[i] = (float) rng.nextGaussian();
    }
    for (int i = 0; i < n; i++) {
      y[i] = (float) rng.nextGaussian();
    }
    return Dataset.regression("ls", x, d, y);
  }

  @Test
  void gradientAndHessianVectorProductMatchFiniteDifferences() {
    LeastSquaresTask t = new LeastSquaresTask("ls", new DataSplits(regression(40, 10, 1), null, null), 0);
    float[] w = TaskChecks.randomUnit(10, 4);
    Batch b = t.sampleBatch(new SplittableRandom(0));
    TaskChecks.assertGradientMatchesFiniteDifferences(t, w, b, 1e-3, 1e-3, 1e-6);
    TaskChecks.assertHessianVectorProductMatchesFiniteDifferences(t, w, b, 1e-2, 1e-3, 1e-6);
  }

  @Test
  void fullBatchLossEqualsTrainEvaluation() {
    LeastSquaresTask t = new LeastSquaresTask("ls", new DataSplits(regression(30, 5, 2), regression(10, 5, 3), null), 0);
    float[] w = TaskChecks.randomUnit(5, 1);
    Batch b = t.sampleBatch(new SplittableRandom(0));
    assertEquals(30, b.size());
    assertEquals(t.evaluate(w, Split.TRAIN).loss(), t.loss(w, b), 1e-9);
    assertTrue(t.hasSplit(Split.VALIDATION));
    assertTrue(!t.hasSplit(Split.TEST));
  }

  @Test
  void minibatchesHaveTheRequestedSize() {
    LeastSquaresTask t = new LeastSquaresTask("ls", new DataSplits(regression(30, 5, 2), null, null), 8);
    assertEquals(8, t.sampleBatch(new SplittableRandom(1)).size());
  }
}
