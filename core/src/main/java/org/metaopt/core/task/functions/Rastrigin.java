package org.metaopt.core.task.functions;

/** N-dimensional Rastrigin {@code 10 n + sum_i (x_i^2 - 10 cos(2 pi x_i))}, minimum 0 at the origin. */
final class Rastrigin implements TestFunction {
  private static final double TWO_PI = 2 * Math.PI;

  @Override
  public String name() {
    return "rastrigin";
  }

  @Override
  public int fixedDimension() {
    return 0;
  }

  @Override
  public double initRadius() {
    return 5.12;
  }

  @Override
  public double value(double[] x) {
    double f = 10.0 * x.length;
    for (double xi : x) {
      f += xi * xi - 10 * Math.cos(TWO_PI * xi);
    }
    return f;
  }

  @Override
  public double valueAndGradient(double[] x, double[] g) {
    for (int i = 0; i < x.length; i++) {
      g[i] = 2 * x[i] + 10 * TWO_PI * Math.sin(TWO_PI * x[i]);
    }
    return value(x);
  }

  @Override
  public boolean hessianVectorProduct(double[] x, double[] v, double[] out) {
    for (int i = 0; i < x.length; i++) {
      out[i] = (2 + 10 * TWO_PI * TWO_PI * Math.cos(TWO_PI * x[i])) * v[i];
    }
    return true;
  }
}
