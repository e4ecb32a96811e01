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

class ConvTaskTest {
  /** 6x6 single-channel images, 3 classes, 16 examples per split. */
  private static final DataSplits DATA = SyntheticData.splits(36, 3, 16, 44);

  static Stream<Arguments> architectures() {
    return Stream.of(Arguments.of(new int[] {4}, new int[0]), Arguments.of(new int[] {3, 4}, new int[] {5}));
  }

  private static ConvTask task(int[] channels, int[] hidden) {
    return new ConvTask("conv-" + channels.length, DATA, channels, hidden, 8);
  }

  @ParameterizedTest
  @MethodSource("architectures")
  void gradientMatchesCentralDifferences(int[] channels, int[] hidden) {
    NetTaskChecks.gradientMatchesFiniteDifferences(task(channels, hidden), 1);
  }

  @ParameterizedTest
  @MethodSource("architectures")
  void exactHessianVectorProductMatchesFiniteDifferences(int[] channels, int[] hidden) {
    // Symmetry, linearity and chunking of the exact product are in ExactHvpContractTest.
    assertTrue(task(channels, hidden).hasExactHessianVectorProduct());
    NetTaskChecks.hessianVectorProductMatchesFiniteDifferences(task(channels, hidden), 2, 1e-3);
  }

  @Test
  void sameSeedGivesSameInitAndLoss() {
    NetTaskChecks.sameSeedGivesSameInitAndLoss(task(new int[] {3, 4}, new int[] {5}), task(new int[] {3, 4}, new int[] {5}));
  }

  @Test
  void evaluateEqualsMeanBatchLossOverTheWholeSplit() {
    NetTaskChecks.evaluateMatchesWholeSplitBatch(new ConvTask("conv", DATA, 5), 16);
  }

  @Test
  void sgdReducesTrainingLossOnSeparableData() {
    NetTaskChecks.sgdReducesTrainingLoss(task(new int[] {8}, new int[0]), 0.1f, 2);
  }

  @Test
  void layoutHasConvThenDenseTensors() {
    ConvTask t = task(new int[] {3, 4}, new int[] {5});
    assertEquals(List.of("conv0_w", "conv0_b", "conv1_w", "conv1_b", "w0", "b0", "w1", "b1"),
        t.layout().tensors().stream().map(TensorSpec::name).toList());
    assertEquals(List.of(4, 3, 3, 3), java.util.Arrays.stream(t.layout().tensor("conv1_w").shape()).boxed().toList());
    // 6x6 -> pool 3x3 -> pool 1x1, so the dense input is 4 channels x 1 x 1.
    assertEquals(List.of(4, 5), java.util.Arrays.stream(t.layout().tensor("w0").shape()).boxed().toList());
  }

  @Test
  void rejectsNonSquareImagesAndTooManyPoolings() {
    DataSplits nonSquare = SyntheticData.splits(20, 3, 4, 1);
    assertThrows(UserError.class, () -> new ConvTask("c", nonSquare, 4));
    assertThrows(UserError.class, () -> new ConvTask("c", DATA, new int[] {2, 2, 2}, new int[0], 4));
    assertTrue(new ConvTask("c", DATA, 4).numParams() > 0);
  }
}
