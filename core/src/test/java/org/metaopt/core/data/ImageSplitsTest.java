package org.metaopt.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.metaopt.core.UserError;

class ImageSplitsTest {

  /** 200 train and 50 test 28x28 images; every pixel of image i is {@code i mod 256}, label {@code i mod 10}. */
  private static RawImageSet raw() {
    return new RawImageSet("Synthetic", null, constantImages(200), IdxTestFiles.cycle(200), constantImages(50),
        IdxTestFiles.cycle(50));
  }

  private static IdxImages constantImages(int n) {
    byte[] px = new byte[n * 784];
    for (int i = 0; i < n; i++) {
      Arrays.fill(px, i * 784, (i + 1) * 784, (byte) i);
    }
    return new IdxImages(px, n, 28, 28);
  }

  /** Recovers each example's source index from its (constant) pixel value. */
  private static Set<Integer> sourceIndices(Dataset d) {
    Set<Integer> s = new HashSet<>();
    for (int r = 0; r < d.size(); r++) {
      int index = Math.round(d.features()[r * d.numFeatures()] * 255f);
      assertEquals(index % 10, d.labels()[r], "label follows its image");
      s.add(index);
    }
    return s;
  }

  @Test
  void validationIsDrawnFromTrainFileDisjointFromTrain() {
    DataSplits s = ImageSplits.build(raw(), new SplitSizes(120, 60, 30), ImageOptions.defaults(), 3L);
    Set<Integer> train = sourceIndices(s.train());
    Set<Integer> validation = sourceIndices(s.validation());
    assertEquals(120, train.size());
    assertEquals(60, validation.size());
    validation.retainAll(train);
    assertTrue(validation.isEmpty(), "overlap " + validation);
    assertEquals(30, sourceIndices(s.test()).size());
    assertEquals("Synthetic/train", s.train().name());
    assertEquals(10, s.test().numClasses());
  }

  @Test
  void zeroValidationExamplesLeavesValidationAbsent() {
    DataSplits s = ImageSplits.build(raw(), new SplitSizes(10, 0, 5), ImageOptions.defaults(), 3L);
    assertNull(s.validation());
    assertEquals(5, s.test().size());
  }

  @Test
  void sameSeedGivesSameSplitsAndOtherSeedsDiffer() {
    ImageOptions o = new ImageOptions(14, Normalization.NONE);
    DataSplits a = ImageSplits.build(raw(), new SplitSizes(50, 10, 10), o, 9L);
    DataSplits b = ImageSplits.build(raw(), new SplitSizes(50, 10, 10), o, 9L);
    DataSplits c = ImageSplits.build(raw(), new SplitSizes(50, 10, 10), o, 10L);
    assertArrayEquals(a.train().features(), b.train().features());
    assertArrayEquals(a.test().labels(), b.test().labels());
    assertFalse(Arrays.equals(a.train().features(), c.train().features()));
  }

  @Test
  void pooledSizesGiveSquaredFeatureCounts() {
    assertEquals(196, ImageSplits.build(raw(), new SplitSizes(5, 0, 0), new ImageOptions(14, Normalization.NONE), 1L)
        .train().numFeatures());
    DataSplits s = ImageSplits.build(raw(), new SplitSizes(5, 0, 0), new ImageOptions(7, Normalization.NONE), 1L);
    assertEquals(49, s.train().numFeatures());
    assertNull(s.test());
  }

  @Test
  void standardizationUsesTrainStatisticsForEverySplit() {
    DataSplits plain = ImageSplits.build(raw(), new SplitSizes(100, 20, 20), ImageOptions.defaults(), 5L);
    DataSplits std = ImageSplits.build(raw(), new SplitSizes(100, 20, 20),
        new ImageOptions(28, Normalization.STANDARDIZE), 5L);
    double[] ms = meanStd(std.train().features());
    assertEquals(0.0, ms[0], 1e-4);
    assertEquals(1.0, ms[1], 1e-4);
    double[] train = meanStd(plain.train().features());
    float x = plain.test().features()[0];
    assertEquals((x - train[0]) / train[1], std.test().features()[0], 1e-4);
    float v = plain.validation().features()[0];
    assertEquals((v - train[0]) / train[1], std.validation().features()[0], 1e-4);
  }

  private static double[] meanStd(float[] a) {
    double s = 0;
    for (float v : a) {
      s += v;
    }
    double m = s / a.length;
    double q = 0;
    for (float v : a) {
      q += (v - m) * (v - m);
    }
    return new double[] {m, Math.sqrt(q / a.length)};
  }

  @Test
  void tooManyTrainPlusValidationExamplesIsAUserError() {
    UserError e = assertThrows(UserError.class,
        () -> ImageSplits.build(raw(), new SplitSizes(150, 51, 1), ImageOptions.defaults(), 1L));
    assertTrue(e.getMessage().contains("trainExamples 150 + validationExamples 51 = 201 exceeds the 200"),
        e.getMessage());
  }

  @Test
  void tooManyTestExamplesIsAUserError() {
    UserError e = assertThrows(UserError.class,
        () -> ImageSplits.build(raw(), new SplitSizes(1, 0, 51), ImageOptions.defaults(), 1L));
    assertTrue(e.getMessage().contains("testExamples 51 exceeds the 50"), e.getMessage());
  }

  @Test
  void unsupportedOptionsAreUserErrors() {
    assertThrows(UserError.class, () -> new ImageOptions(10, Normalization.NONE));
    assertThrows(UserError.class, () -> new ImageOptions(28, null));
    assertThrows(UserError.class, () -> new SplitSizes(0, 0, 0));
    assertThrows(UserError.class, () -> new SplitSizes(1, -1, 0));
  }
}
