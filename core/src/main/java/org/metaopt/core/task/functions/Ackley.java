package org.metaopt.core.task.functions;

/**
 * N-dimensional Ackley {@code -20 exp(-0.2 sqrt(mean x^2)) - exp(mean cos(2 pi x)) + 20 + e}, minimum 0 at the
 * origin (where the gradient is undefined; 0 is returned there). Hessian-vector products by finite differences.
 */
final class Ackley implements TestFunction {
  private static final double TWO_PI = 2 * Math.PI;

  @Override
  public String name() {
    return "ackley";
  }

  @Override
  public int fixedDimension() {
    return 0;
  }

  @Override
  public double initRadius() {
    return 5.0;
  }

  @Override
  public double value(double[] x) {
    int n = x.length;
    double sq = 0;
    double cs = 0;
    for (double xi : x) {
      sq += xi * xi;
      cs += Math.cos(TWO_PI * xi);
    }
    return -20 * Math.exp(-0.2 * Math.sqrt(sq / n)) - Math.exp(cs / n) + 20 + Math.E;
  }

  @Override
  public double valueAndGradient(double[] x, double[] g) {
    int n = x.length;
    double sq = 0;
    double cs = 0;
    for (double xi : x) {
      sq += xi * xi;
      cs += Math.cos(TWO_PI * xi);
    }
    double r = Math.sqrt(sq / n);
    double e1 = Math.exp(-0.2 * r);
    double e2 = Math.exp(cs / n);
    for (int i = 0; i < n; i++) {
      double d1 = r > 0 ? 4 * e1 * x[i] / (n * r) : 0; // d/dx of -20 exp(-0.2 r)
      double d2 = e2 * TWO_PI * Math.sin(TWO_PI * x[i]) / n; // d/dx of -exp(mean cos)
      g[i] = d1 + d2;
    }
    return -20 * e1 - e2 + 20 + Math.E;
  }
}
