package org.metaopt.core.task.functions;

/** Booth (2-D): {@code (x + 2y - 7)^2 + (2x + y - 5)^2}, minimum 0 at (1, 3); constant Hessian [[10, 8], [8, 10]]. */
final class Booth implements TestFunction {
  @Override
  public String name() {
    return "booth";
  }

  @Override
  public int fixedDimension() {
    return 2;
  }

  @Override
  public double initRadius() {
    return 10.0;
  }

  @Override
  public double value(double[] p) {
    double a = p[0] + 2 * p[1] - 7;
    double b = 2 * p[0] + p[1] - 5;
    return a * a + b * b;
  }

  @Override
  public double valueAndGradient(double[] p, double[] g) {
    double a = p[0] + 2 * p[1] - 7;
    double b = 2 * p[0] + p[1] - 5;
    g[0] = 2 * a + 4 * b;
    g[1] = 4 * a + 2 * b;
    return a * a + b * b;
  }

  @Override
  public boolean hessianVectorProduct(double[] x, double[] v, double[] out) {
    out[0] = 10 * v[0] + 8 * v[1];
    out[1] = 8 * v[0] + 10 * v[1];
    return true;
  }
}
