package org.metaopt.core.task.functions;

/**
 * Beale (2-D): {@code (1.5 - x + xy)^2 + (2.25 - x + xy^2)^2 + (2.625 - x + xy^3)^2}, minimum 0 at (3, 0.5).
 * Hessian-vector products by finite differences.
 */
final class Beale implements TestFunction {
  private static final double[] C = {1.5, 2.25, 2.625};

  @Override
  public String name() {
    return "beale";
  }

  @Override
  public int fixedDimension() {
    return 2;
  }

  @Override
  public double initRadius() {
    return 2.0;
  }

  @Override
  public double value(double[] p) {
    double x = p[0];
    double y = p[1];
    double f = 0;
    double yk = y;
    for (double c : C) {
      double t = c - x + x * yk;
      f += t * t;
      yk *= y;
    }
    return f;
  }

  @Override
  public double valueAndGradient(double[] p, double[] g) {
    double x = p[0];
    double y = p[1];
    double f = 0;
    double gx = 0;
    double gy = 0;
    double yk = y; // y^k
    double ykm1 = 1; // y^(k-1)
    for (int k = 1; k <= 3; k++) {
      double t = C[k - 1] - x + x * yk;
      f += t * t;
      gx += 2 * t * (yk - 1);
      gy += 2 * t * x * k * ykm1;
      ykm1 = yk;
      yk *= y;
    }
    g[0] = gx;
    g[1] = gy;
    return f;
  }
}
