package org.metaopt.core.task.nets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.metaopt.core.data.DataSplits;
import org.metaopt.core.tensor.TensorSpec;

class LogisticTaskTest {
  private static final DataSplits DATA = SyntheticData.splits(20, 3, 16, 43);

  private static LogisticTask task() {
    return new LogisticTask("logistic", DATA, 8);
  }

  @Test
  void layoutIsOneWeightMatrixAndOneBias() {
    assertEquals(List.of("w", "b"), task().layout().tensors().stream().map(TensorSpec::name).toList());
    assertEquals(20 * 3 + 3, task().numParams());
  }

  @Test
  void gradientMatchesCentralDifferences() {
    NetTaskChecks.gradientMatchesFiniteDifferences(task(), 1);
  }

  @Test
  void exactHessianVectorProductMatchesFiniteDifferences() {
    assertTrue(task().hasExactHessianVectorProduct());
    NetTaskChecks.hessianVectorProductMatchesFiniteDifferences(task(), 2);
  }

  @Test
  void hessianIsPositiveSemidefiniteAlongRandomDirections() {
    LogisticTask t = task();
    float[] p = t.initialParams(3);
    float[] hv = new float[t.numParams()];
    for (int d = 0; d < 5; d++) {
      float[] v = SyntheticData.gaussian(t.numParams(), 30 + d);
      t.hessianVectorProduct(p, org.metaopt.core.task.Batch.full(0), v, hv);
      assertTrue(SyntheticData.dot(v, hv) >= 0, "v'Hv = " + SyntheticData.dot(v, hv));
    }
  }

  @Test
  void sameSeedGivesSameInitAndLoss() {
    NetTaskChecks.sameSeedGivesSameInitAndLoss(task(), task());
  }

  @Test
  void evaluateEqualsMeanBatchLossOverTheWholeSplit() {
    NetTaskChecks.evaluateMatchesWholeSplitBatch(task(), 16);
  }

  @Test
  void sgdReducesTrainingLossOnSeparableData() {
    NetTaskChecks.sgdReducesTrainingLoss(task(), 0.5f, 4);
  }
}
