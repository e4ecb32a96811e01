package org.metaopt.core.flatness;

import java.util.SplittableRandom;
import org.metaopt.core.task.Task;

/** Small vector helpers shared by the estimators; stateless. */
final class Vectors {
  private Vectors() {}

  /** Fills {@code v} with independent signs {@code ±1}. */
  static void rademacher(float[] v, SplittableRandom rng) {
    for (int i = 0; i < v.length; i++) {
      v[i] = rng.nextBoolean() ? 1f : -1f;
    }
  }

  /** Fills {@code v} with independent standard normals. */
  static void gaussian(float[] v, SplittableRandom rng) {
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) rng.nextGaussian();
    }
  }

  /** Dot product accumulated in double. */
  static double dot(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += (double) a[i] * b[i];
    }
    return s;
  }

  /** The task's parameter count, after checking that {@code params} has that length. */
  static int checkedSize(Task task, float[] params) {
    int n = task.numParams();
    if (params.length != n) {
      throw new IllegalArgumentException("params length " + params.length + " does not match task '"
          + task.name() + "' with " + n + " parameters");
    }
    return n;
  }

  /** {@code buf} when it has length {@code n}, else a new array of that length. */
  static float[] sized(float[] buf, int n) {
    return buf != null && buf.length == n ? buf : new float[n];
  }

  static void requirePositive(String field, int value) {
    if (value < 1) {
      throw new IllegalArgumentException(field + " " + value + " must be >= 1");
    }
  }

  static void requirePositiveFinite(String field, double value) {
    if (!(value > 0) || Double.isInfinite(value)) {
      throw new IllegalArgumentException(field + " " + value + " must be finite and > 0");
    }
  }

  static void requireNonNegativeFinite(String field, double value) {
    if (!(value >= 0) || Double.isInfinite(value)) {
      throw new IllegalArgumentException(field + " " + value + " must be finite and >= 0");
    }
  }
}
