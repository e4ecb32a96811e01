package org.metaopt.core.data;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.metaopt.core.UserError;

/**
 * Builds {@link DataSplits} from a {@link RawImageSet}: seeded train and validation subsets drawn disjointly
 * from the train file, a seeded test subset from the test file, pooled and normalized per
 * {@link ImageOptions}. Stateless; thread-safe (the raw set is only read).
 */
public final class ImageSplits {

  private ImageSplits() {
  }

  /**
   * The splits of {@code raw} with the given sizes, a deterministic function of {@code (raw, sizes, options,
   * seed)}. Only the selected examples are converted to floats.
   *
   * @throws UserError if train plus validation examples exceed the train file, or test examples the test file
   */
  public static DataSplits build(RawImageSet raw, SplitSizes sizes, ImageOptions options, long seed) {
    int nTrain = raw.trainImages().count();
    int nTest = raw.testImages().count();
    int train = sizes.trainExamples();
    int validation = sizes.validationExamples();
    int test = sizes.testExamples();
    if ((long) train + validation > nTrain) {
      throw new UserError("trainExamples " + train + " + validationExamples " + validation + " = "
          + ((long) train + validation) + " exceeds the " + nTrain + " " + raw.displayName()
          + " train images; use at most " + nTrain + " in total");
    }
    if (test > nTest) {
      throw new UserError("testExamples " + test + " exceeds the " + nTest + " " + raw.displayName()
          + " test images; use at most " + nTest);
    }
    int rows = raw.trainImages().rows();
    if (rows != raw.trainImages().cols() || rows % options.imageSize() != 0) {
      throw new UserError(raw.displayName() + " images are " + rows + "x" + raw.trainImages().cols()
          + "; imageSize " + options.imageSize() + " needs square images whose side it divides");
    }
    int factor = rows / options.imageSize();
    SplittableRandom root = new SplittableRandom(seed);
    int[] trainPool = Subsets.sample(nTrain, train + validation, root.nextLong());
    int[] testIdx = Subsets.sample(nTest, test, root.nextLong());
    int[] trainIdx = Arrays.copyOfRange(trainPool, 0, train);
    int[] validationIdx = Arrays.copyOfRange(trainPool, train, train + validation);

    float[] trainX = Pooling.averagePool(raw.trainImages(), trainIdx, factor);
    float[] validationX = Pooling.averagePool(raw.trainImages(), validationIdx, factor);
    float[] testX = Pooling.averagePool(raw.testImages(), testIdx, factor);
    if (options.normalization() == Normalization.STANDARDIZE) {
      standardize(trainX, validationX, testX);
    }
    int features = options.imageSize() * options.imageSize();
    String name = raw.displayName();
    Dataset trainSet = classification(name + "/train", trainX, features, raw.trainLabels(), trainIdx);
    Dataset validationSet = validation == 0 ? null
        : classification(name + "/validation", validationX, features, raw.trainLabels(), validationIdx);
    Dataset testSet = test == 0 ? null : classification(name + "/test", testX, features, raw.testLabels(), testIdx);
    return new DataSplits(trainSet, validationSet, testSet);
  }

  /** Subtracts the global mean of {@code train} and divides by its standard deviation, in every array. */
  static void standardize(float[] train, float[]... others) {
    double sum = 0;
    for (float v : train) {
      sum += v;
    }
    double mean = sum / train.length;
    double sq = 0;
    for (float v : train) {
      double d = v - mean;
      sq += d * d;
    }
    double std = Math.sqrt(sq / train.length);
    float m = (float) mean;
    float inv = std > 1e-12 ? (float) (1.0 / std) : 1f;
    applyInPlace(train, m, inv);
    for (float[] a : others) {
      applyInPlace(a, m, inv);
    }
  }

  private static void applyInPlace(float[] a, float mean, float invStd) {
    for (int i = 0; i < a.length; i++) {
      a[i] = (a[i] - mean) * invStd;
    }
  }

  private static Dataset classification(String name, float[] x, int features, byte[] allLabels, int[] idx) {
    int[] labels = new int[idx.length];
    for (int i = 0; i < idx.length; i++) {
      labels[i] = allLabels[idx[i]] & 0xFF;
    }
    return Dataset.classification(name, x, features, labels, RawImageSet.NUM_CLASSES);
  }
}
