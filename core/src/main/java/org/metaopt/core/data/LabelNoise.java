package org.metaopt.core.data;

import java.util.SplittableRandom;

/**
 * Label noise for classification sets (seed 2's noisy-label setting): a seeded fraction of examples get a
 * label drawn uniformly from all classes (so it may by chance equal the true one). Stateless.
 */
public final class LabelNoise {
  private LabelNoise() {}

  /** A copy of {@code data} with {@code round(fraction * n)} labels replaced; {@code data} itself if fraction is 0. */
  public static Dataset apply(Dataset data, double fraction, long seed) {
    if (!(fraction >= 0 && fraction <= 1)) {
      throw new IllegalArgumentException("label-noise fraction " + fraction + " must be in [0, 1]");
    }
    if (fraction == 0 || !data.isClassification()) {
      return data;
    }
    int n = data.size();
    int k = (int) Math.round(fraction * n);
    int[] labels = data.labels().clone();
    SplittableRandom rng = new SplittableRandom(seed);
    for (int i : Subsets.sample(n, k, rng.nextLong())) {
      labels[i] = rng.nextInt(data.numClasses());
    }
    return Dataset.classification(data.name() + "+noise" + fraction, data.features(), data.numFeatures(), labels,
        data.numClasses());
  }
}
