package org.metaopt.core.task.functions;

/** N-dimensional Rosenbrock: {@code sum_i 100 (x_{i+1} - x_i^2)^2 + (1 - x_i)^2}, minimum 0 at (1,...,1). */
final class Rosenbrock implements TestFunction {
  @Override
  public String name() {
    return "rosenbrock";
  }

  @Override
  public int fixedDimension() {
    return 0;
  }

  @Override
  public double initRadius() {
    return 2.0;
  }

  @Override
  public double value(double[] x) {
    double f = 0;
    for (int i = 0; i + 1 < x.length; i++) {
      double a = x[i + 1] - x[i] * x[i];
      double b = 1 - x[i];
      f += 100 * a * a + b * b;
    }
    return f;
  }

  @Override
  public double valueAndGradient(double[] x, double[] g) {
    java.util.Arrays.fill(g, 0);
    double f = 0;
    for (int i = 0; i + 1 < x.length; i++) {
      double a = x[i + 1] - x[i] * x[i];
      double b = 1 - x[i];
      f += 100 * a * a + b * b;
      g[i] += -400 * x[i] * a - 2 * b;
      g[i + 1] += 200 * a;
    }
    return f;
  }

  @Override
  public boolean hessianVectorProduct(double[] x, double[] v, double[] out) {
    java.util.Arrays.fill(out, 0);
    for (int i = 0; i + 1 < x.length; i++) {
      double hii = 1200 * x[i] * x[i] - 400 * x[i + 1] + 2;
      double hij = -400 * x[i];
      out[i] += hii * v[i] + hij * v[i + 1];
      out[i + 1] += hij * v[i] + 200 * v[i + 1];
    }
    return true;
  }
}
