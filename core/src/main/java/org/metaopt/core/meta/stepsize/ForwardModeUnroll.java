package org.metaopt.core.meta.stepsize;

/**
 * The result of differentiating {@code t} unrolled gradient-descent steps on {@code 1/2 w^T H w} with respect to
 * the step size by forward mode in double: the loss {@code f(w_t)}, {@code df/deta}, the log objective
 * {@code (1/t) log f(w_t)} and its derivative {@code f'/(t f)} computed from those two numbers (so 0/0 = NaN once
 * both underflow). Immutable; thread-safe.
 */
public record ForwardModeUnroll(double loss, double lossDerivative, double logObjective, double logDerivative) {

  /** A symmetric matrix given by its product with a vector. Implementations may hold scratch: one thread. */
  public interface Hessian {
    int dim();

    /** {@code out = H v}; {@code out} and {@code v} are distinct arrays of length {@link #dim()}. */
    void multiply(double[] v, double[] out);
  }

  /** Runs {@code t} steps of {@code w <- (I - eta H) w} from {@code w0} carrying the tangent {@code dw/deta}. */
  public static ForwardModeUnroll run(Hessian h, double[] w0, double eta, int t) {
    int n = h.dim();
    if (w0.length != n) {
      throw new IllegalArgumentException("w0 has length " + w0.length + ", H has dim " + n);
    }
    if (t < 1) {
      throw new IllegalArgumentException("unroll length t " + t + " must be >= 1");
    }
    double[] w = w0.clone();
    double[] dw = new double[n];
    double[] hw = new double[n];
    double[] hdw = new double[n];
    for (int k = 0; k < t; k++) {
      h.multiply(w, hw);
      h.multiply(dw, hdw);
      for (int i = 0; i < n; i++) {
        dw[i] = dw[i] - eta * hdw[i] - hw[i];
        w[i] = w[i] - eta * hw[i];
      }
    }
    h.multiply(w, hw);
    double f = 0;
    double df = 0;
    for (int i = 0; i < n; i++) {
      f += w[i] * hw[i];
      df += dw[i] * hw[i]; // d/deta 1/2 w^T H w = dw^T H w
    }
    f *= 0.5;
    return new ForwardModeUnroll(f, df, Math.log(f) / t, df / (t * f));
  }
}
