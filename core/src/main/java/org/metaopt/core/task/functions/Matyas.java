package org.metaopt.core.task.functions;

/** Matyas (2-D): {@code 0.26 (x^2 + y^2) - 0.48 xy}, minimum 0 at the origin; constant Hessian. */
final class Matyas implements TestFunction {
  @Override
  public String name() {
    return "matyas";
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
    return 0.26 * (p[0] * p[0] + p[1] * p[1]) - 0.48 * p[0] * p[1];
  }

  @Override
  public double valueAndGradient(double[] p, double[] g) {
    g[0] = 0.52 * p[0] - 0.48 * p[1];
    g[1] = 0.52 * p[1] - 0.48 * p[0];
    return value(p);
  }

  @Override
  public boolean hessianVectorProduct(double[] x, double[] v, double[] out) {
    out[0] = 0.52 * v[0] - 0.48 * v[1];
    out[1] = 0.52 * v[1] - 0.48 * v[0];
    return true;
  }
}
