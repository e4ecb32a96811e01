package org.metaopt.core.task.functions;

/**
 * N-dimensional Styblinski–Tang {@code 0.5 sum_i (x_i^4 - 16 x_i^2 + 5 x_i)}, shifted up by
 * {@code 39.16616570377142 n} so that the global minimum (at x_i = -2.903534) is 0.
 */
final class StyblinskiTang implements TestFunction {
  static final double MIN_PER_DIM = -39.16616570377142;

  @Override
  public String name() {
    return "styblinski-tang";
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
    double f = 0;
    for (double xi : x) {
      double x2 = xi * xi;
      f += 0.5 * (x2 * x2 - 16 * x2 + 5 * xi) - MIN_PER_DIM;
    }
    return f;
  }

  @Override
  public double valueAndGradient(double[] x, double[] g) {
    for (int i = 0; i < x.length; i++) {
      g[i] = 2 * x[i] * x[i] * x[i] - 16 * x[i] + 2.5;
    }
    return value(x);
  }

  @Override
  public boolean hessianVectorProduct(double[] x, double[] v, double[] out) {
    for (int i = 0; i < x.length; i++) {
      out[i] = (6 * x[i] * x[i] - 16) * v[i];
    }
    return true;
  }
}
