package org.metaopt.ops.report;

import java.util.Objects;

/**
 * One named line of a line chart: x and y of equal length. Points where either coordinate is not finite (or, on a
 * logarithmic axis, y is not positive) are left out when drawn. Immutable after construction (arrays are copied).
 */
public record Series(String name, double[] x, double[] y) {
  public Series {
    Objects.requireNonNull(name, "name");
    if (x.length != y.length) {
      throw new IllegalArgumentException("series " + name + ": x has " + x.length + " points, y " + y.length);
    }
    x = x.clone();
    y = y.clone();
  }

  /** A series over x = 0, 1, 2, ... */
  public static Series of(String name, double[] y) {
    double[] x = new double[y.length];
    for (int i = 0; i < x.length; i++) {
      x[i] = i;
    }
    return new Series(name, x, y);
  }

  /** The trailing moving average over {@code window} points (shorter at the start), same x. */
  public Series movingAverage(String newName, int window) {
    if (window < 1) {
      throw new IllegalArgumentException("window " + window + " must be >= 1");
    }
    double[] out = new double[y.length];
    double sum = 0;
    int count = 0;
    java.util.ArrayDeque<Double> q = new java.util.ArrayDeque<>();
    for (int i = 0; i < y.length; i++) {
      if (Double.isFinite(y[i])) {
        q.addLast(y[i]);
        sum += y[i];
        count++;
        if (count > window) {
          sum -= q.removeFirst();
          count--;
        }
      }
      out[i] = count == 0 ? Double.NaN : sum / count;
    }
    return new Series(newName, x, out);
  }
}
