package org.metaopt.core.task.nets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.metaopt.core.UserError;
import org.metaopt.core.data.DataSplits;
import org.metaopt.core.tensor.TensorSpec;

class MlpTaskTest {
  private static final DataSplits DATA = SyntheticData.splits(20, 3, 16, 42);

  static Stream<Arguments> architectures() {
    return Stream.of(Activation.values()).flatMap(a -> Stream.of(
        Arguments.of(a, new int[] {7}), Arguments.of(a, new int[] {6, 5})));
  }

  private static MlpTask task(Activation act, int[] hidden, int batchSize) {
    return new MlpTask("mlp-" + act + "-" + hidden.length, DATA, hidden, act, batchSize);
  }

  @ParameterizedTest
  @MethodSource("architectures")
  void gradientMatchesCentralDifferences(Activation act, int[] hidden) {
    NetTaskChecks.gradientMatchesFiniteDifferences(task(act, hidden, 8), 1);
  }

  @ParameterizedTest
  @MethodSource("architectures")
  void exactHessianVectorProductMatchesFiniteDifferences(Activation act, int[] hidden) {
    MlpTask t = task(act, hidden, 8);
    assertTrue(t.hasExactHessianVectorProduct());
    NetTaskChecks.hessianVectorProductMatchesFiniteDifferences(t, 2);
  }

  @ParameterizedTest
  @MethodSource("architectures")
  void batchLargerThanScratchRunsInChunksWithTheSameResult(Activation act, int[] hidden) {
    MlpTask small = task(act, hidden, 3);
    MlpTask big = task(act, hidden, 16);
    float[] p = small.initialParams(4);
    var batch = big.sampleBatch(new java.util.SplittableRandom(9));
    float[] g1 = new float[p.length];
    float[] g2 = new float[p.length];
    assertEquals(big.lossAndGradient(p, batch, g2), small.lossAndGradient(p, batch, g1), 1e-6);
    assertTrue(SyntheticData.relativeError(g1, g2, 1e-6) < 1e-5);
    float[] v = SyntheticData.unitGaussian(p.length, 5);
    small.hessianVectorProduct(p, batch, v, g1);
    big.hessianVectorProduct(p, batch, v, g2);
    assertTrue(SyntheticData.relativeError(g1, g2, 1e-6) < 1e-5);
  }

  @Test
  void sameSeedGivesSameInitAndLoss() {
    NetTaskChecks.sameSeedGivesSameInitAndLoss(task(Activation.TANH, new int[] {6, 5}, 8),
        task(Activation.TANH, new int[] {6, 5}, 8));
  }

  @Test
  void evaluateEqualsMeanBatchLossOverTheWholeSplit() {
    NetTaskChecks.evaluateMatchesWholeSplitBatch(task(Activation.RELU, new int[] {7}, 5), 16);
  }

  @Test
  void sgdReducesTrainingLossOnSeparableData() {
    NetTaskChecks.sgdReducesTrainingLoss(task(Activation.RELU, new int[] {16}, 8), 0.2f, 4);
  }

  @Test
  void layoutNamesWeightsAndBiasesPerLayer() {
    MlpTask t = task(Activation.RELU, new int[] {6, 5}, 8);
    List<String> names = t.layout().tensors().stream().map(TensorSpec::name).toList();
    assertEquals(List.of("w0", "b0", "w1", "b1", "w2", "b2"), names);
    assertEquals(List.of(20, 6), boxed(t.layout().tensor("w0").shape()));
    assertEquals(List.of(3), boxed(t.layout().tensor("b2").shape()));
    assertEquals(20 * 6 + 6 + 6 * 5 + 5 + 5 * 3 + 3, t.numParams());
  }

  @Test
  void heInitHasTheExpectedScaleAndZeroBiases() {
    MlpTask t = new MlpTask("wide", SyntheticData.splits(400, 3, 4, 1), new int[] {300}, Activation.RELU, 4);
    float[] p = t.initialParams(3);
    TensorSpec w0 = t.layout().tensor("w0");
    double ss = 0;
    for (int i = w0.offset(); i < w0.end(); i++) {
      ss += p[i] * p[i];
    }
    assertEquals(2.0 / 400, ss / w0.size(), 0.05 * 2.0 / 400);
    TensorSpec b0 = t.layout().tensor("b0");
    for (int i = b0.offset(); i < b0.end(); i++) {
      assertEquals(0f, p[i]);
    }
  }

  @Test
  void rejectsNonPositiveWidthsAndBatchSizes() {
    assertThrows(UserError.class, () -> task(Activation.RELU, new int[] {0}, 8));
    assertThrows(UserError.class, () -> task(Activation.RELU, new int[] {4}, 0));
    assertThrows(UserError.class, () -> Activation.parse("gelu"));
    assertEquals(Activation.TANH, Activation.parse(" Tanh "));
  }

  private static List<Integer> boxed(int[] a) {
    return java.util.Arrays.stream(a).boxed().toList();
  }
}
