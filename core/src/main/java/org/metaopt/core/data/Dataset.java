package org.metaopt.core.data;

/**
 * A supervised data set held in memory: {@code n} examples of {@code numFeatures} floats, row-major.
 *
 * <p>Classification sets carry integer {@code labels} in {@code [0, numClasses)} and {@code targets == null};
 * regression sets carry float {@code targets} and {@code labels == null, numClasses == 0}. Arrays are shared,
 * never copied, and must not be mutated after construction: a data set is immutable by contract and may be
 * read from any thread.
 */
public record Dataset(String name, float[] features, int numFeatures, int[] labels, float[] targets, int numClasses) {

  public Dataset {
    if (numFeatures <= 0) {
      throw new IllegalArgumentException("data set '" + name + "': numFeatures " + numFeatures + " must be >= 1");
    }
    if (features.length % numFeatures != 0) {
      throw new IllegalArgumentException("data set '" + name + "': features length " + features.length
          + " is not a multiple of numFeatures " + numFeatures);
    }
    int n = features.length / numFeatures;
    if ((labels == null) == (targets == null)) {
      throw new IllegalArgumentException("data set '" + name + "': exactly one of labels or targets must be set");
    }
    if (labels != null) {
      if (labels.length != n) {
        throw new IllegalArgumentException("data set '" + name + "': " + labels.length + " labels for " + n + " examples");
      }
      if (numClasses < 2) {
        throw new IllegalArgumentException("data set '" + name + "': numClasses " + numClasses + " must be >= 2");
      }
      for (int i = 0; i < n; i++) {
        if (labels[i] < 0 || labels[i] >= numClasses) {
          throw new IllegalArgumentException("data set '" + name + "': label " + labels[i] + " at example " + i
              + " is outside [0, " + numClasses + ")");
        }
      }
    } else if (targets.length != n) {
      throw new IllegalArgumentException("data set '" + name + "': " + targets.length + " targets for " + n + " examples");
    }
  }

  /** A classification set. */
  public static Dataset classification(String name, float[] features, int numFeatures, int[] labels, int numClasses) {
    return new Dataset(name, features, numFeatures, labels, null, numClasses);
  }

  /** A regression set with one real target per example. */
  public static Dataset regression(String name, float[] features, int numFeatures, float[] targets) {
    return new Dataset(name, features, numFeatures, null, targets, 0);
  }

  /** Number of examples. */
  public int size() {
    return features.length / numFeatures;
  }

  public boolean isClassification() {
    return labels != null;
  }

}
