package org.metaopt.core.task.nets;

import java.util.SplittableRandom;
import org.metaopt.core.data.DataSplits;
import org.metaopt.core.data.Dataset;

/** Small random classification data for tests: Gaussian features labelled by a random linear teacher. */
final class SyntheticData {
  private SyntheticData() {}

  /** Train, validation and test sets of {@code n} examples each, linearly separable by the same teacher. */
  static DataSplits splits(int numFeatures, int numClasses, int n, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    float[] teacher = new float[numFeatures * numClasses];
    for (int i = 0; i < teacher.length; i++) {
      teacher[i] = (float) rng.nextGaussian();
    }
    return new DataSplits(make("train", teacher, numFeatures, numClasses, n, rng),
        make("validation", teacher, numFeatures, numClasses, n, rng),
        make("test", teacher, numFeatures, numClasses, n, rng));
  }

  private static Dataset make(String name, float[] teacher, int f, int k, int n, SplittableRandom rng) {
    float[] x = new float[n * f];
    int[] y = new int[n];
    for (int r = 0; r < n; r++) {
      for (int i = 0; i < f; i++) {
        // About a third exact zeros, like image backgrounds, to exercise the zero-skipping loops.
        x[r * f + i] = rng.nextInt(3) == 0 ? 0f : (float) rng.nextGaussian();
      }
      int best = 0;
      double bestScore = Double.NEGATIVE_INFINITY;
      for (int c = 0; c < k; c++) {
        double s = 0;
        for (int i = 0; i < f; i++) {
          s += x[r * f + i] * teacher[i * k + c];
        }
        if (s > bestScore) {
          bestScore = s;
          best = c;
        }
      }
      y[r] = best;
    }
    return Dataset.classification(name, x, f, y, k);
  }

  /** A vector of independent standard normals. */
  static float[] gaussian(int n, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) rng.nextGaussian();
    }
    return v;
  }

  /** A Gaussian vector scaled to unit Euclidean norm. */
  static float[] unitGaussian(int n, long seed) {
    float[] v = gaussian(n, seed);
    double norm = Math.sqrt(dot(v, v));
    for (int i = 0; i < n; i++) {
      v[i] = (float) (v[i] / norm);
    }
    return v;
  }

  static double dot(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += (double) a[i] * b[i];
    }
    return s;
  }

  /** {@code ||a - b|| / max(||a||, ||b||, floor)}. */
  static double relativeError(float[] a, float[] b, double floor) {
    double diff = 0;
    for (int i = 0; i < a.length; i++) {
      double d = (double) a[i] - b[i];
      diff += d * d;
    }
    double scale = Math.max(Math.sqrt(dot(a, a)), Math.max(Math.sqrt(dot(b, b)), floor));
    return Math.sqrt(diff) / scale;
  }
}
