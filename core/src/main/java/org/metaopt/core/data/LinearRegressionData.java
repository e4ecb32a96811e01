package org.metaopt.core.data;

import java.util.SplittableRandom;
import org.metaopt.core.UserError;

/**
 * A synthetic least-squares problem needing no files: {@code w* ~ N(0, I/dim)} (so {@code ||w*|| ~ 1}),
 * inputs {@code x ~ N(0, I)}, targets {@code y = <w*, x> + noise * N(0, 1)}. Deterministic from {@code seed};
 * each split has its own random stream. Immutable; thread-safe.
 */
public record LinearRegressionData(int dim, SplitSizes sizes, double noise, long seed) {

  /** Test examples when a caller has no reason to choose. */
  public static final int DEFAULT_TEST_EXAMPLES = 1000;

  public LinearRegressionData {
    if (dim < 1) {
      throw new UserError("linear-regression dim " + dim + " must be >= 1");
    }
    if (sizes == null) {
      throw new UserError("linear-regression sizes are required");
    }
    if (!(noise >= 0) || Double.isInfinite(noise)) {
      throw new UserError("linear-regression noise " + noise + " must be finite and >= 0");
    }
  }

  /** The generated splits and the true weights they were drawn from. Immutable by contract. */
  public record Problem(DataSplits splits, float[] wStar) {
  }

  /** Draws {@code w*} and the three splits. */
  public Problem generate() {
    SplittableRandom root = new SplittableRandom(seed);
    SplittableRandom wRng = new SplittableRandom(root.nextLong());
    float[] wStar = new float[dim];
    double std = 1.0 / Math.sqrt(dim);
    for (int j = 0; j < dim; j++) {
      wStar[j] = (float) (wRng.nextGaussian() * std);
    }
    long trainSeed = root.nextLong();
    long validationSeed = root.nextLong();
    long testSeed = root.nextLong();
    DataSplits splits = new DataSplits(
        split("linear-regression/train", sizes.trainExamples(), trainSeed, wStar),
        split("linear-regression/validation", sizes.validationExamples(), validationSeed, wStar),
        split("linear-regression/test", sizes.testExamples(), testSeed, wStar));
    return new Problem(splits, wStar);
  }

  private Dataset split(String name, int n, long splitSeed, float[] wStar) {
    if (n == 0) {
      return null;
    }
    SplittableRandom rng = new SplittableRandom(splitSeed);
    float[] x = new float[n * dim];
    float[] y = new float[n];
    for (int i = 0; i < n; i++) {
      int off = i * dim;
      double s = 0;
      for (int j = 0; j < dim; j++) {
        float v = (float) rng.nextGaussian();
        x[off + j] = v;
        s += (double) wStar[j] * v;
      }
      y[i] = (float) (s + noise * rng.nextGaussian());
    }
    return Dataset.regression(name, x, dim, y);
  }
}
