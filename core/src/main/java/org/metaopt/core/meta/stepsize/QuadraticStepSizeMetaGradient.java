package org.metaopt.core.meta.stepsize;

import java.util.SplittableRandom;

/**
 * Meta-objectives of the step size {@code eta} of {@code t} steps of gradient descent on {@code f(w) = 1/2 w^T H w}
 * and their derivatives, in closed form in the eigenbasis of {@code H} (seed 2, Wang et al. ICML 2021): with
 * eigenvalues {@code lambda_i} and coefficients {@code c_i} of {@code w0}, {@code f(w_t) = 1/2 sum c_i^2 lambda_i
 * (1 - eta lambda_i)^(2t)}.
 *
 * <p>The naive objective {@code f(w_t)} is evaluated as written and so vanishes or explodes exponentially in
 * {@code t}; the log objective {@code (1/t) log f(w_t)} and its derivative are evaluated by a signed log-sum-exp and
 * stay finite for any {@code t} and {@code eta}. A factor {@code 1 - eta lambda_i == 0} is handled exactly (that mode
 * contributes nothing). {@link #forwardMode} differentiates the actual unrolled iteration instead, for reference.
 *
 * <p>Immutable after construction; thread-safe.
 */
public final class QuadraticStepSizeMetaGradient {
  private final double[] lambda;
  private final double[] c;

  /**
   * @param eigenvalues eigenvalues of H, each positive and finite
   * @param coefficients coefficients of w0 along the matching eigenvectors, not all zero
   */
  public QuadraticStepSizeMetaGradient(double[] eigenvalues, double[] coefficients) {
    if (eigenvalues.length == 0 || eigenvalues.length != coefficients.length) {
      throw new IllegalArgumentException("eigenvalues (" + eigenvalues.length + ") and coefficients ("
          + coefficients.length + ") must have the same non-zero length");
    }
    boolean any = false;
    for (int i = 0; i < eigenvalues.length; i++) {
      if (!(eigenvalues[i] > 0) || Double.isInfinite(eigenvalues[i])) {
        throw new IllegalArgumentException("eigenvalue " + i + " = " + eigenvalues[i] + " must be finite and > 0");
      }
      if (!Double.isFinite(coefficients[i])) {
        throw new IllegalArgumentException("coefficient " + i + " = " + coefficients[i] + " must be finite");
      }
      any |= coefficients[i] != 0;
    }
    if (!any) {
      throw new IllegalArgumentException("coefficients are all zero: w0 = 0 makes every objective constant");
    }
    this.lambda = eigenvalues.clone();
    this.c = coefficients.clone();
  }

  /**
   * The quadratic of {@link org.metaopt.core.task.quadratic.QuadraticTask} (eigenvalues log-spaced in
   * {@code [1/kappa, 1]}) with {@code w0} uniform on the unit sphere; by rotation invariance its eigenbasis
   * coefficients are themselves uniform on the sphere, which is what is drawn here from {@code seed}.
   */
  public static QuadraticStepSizeMetaGradient randomTask(int dim, double conditionNumber, long seed) {
    double[] lam = new double[dim];
    for (int i = 0; i < dim; i++) {
      double frac = dim == 1 ? 1.0 : (double) i / (dim - 1);
      lam[i] = Math.pow(conditionNumber, frac - 1.0);
    }
    SplittableRandom rng = new SplittableRandom(seed);
    double[] w = new double[dim];
    double norm = 0;
    while (norm == 0) {
      norm = 0;
      for (int i = 0; i < dim; i++) {
        w[i] = rng.nextGaussian();
        norm += w[i] * w[i];
      }
    }
    norm = Math.sqrt(norm);
    for (int i = 0; i < dim; i++) {
      w[i] /= norm;
    }
    return new QuadraticStepSizeMetaGradient(lam, w);
  }

  /** Largest eigenvalue L; gradient descent diverges along its eigenvector for {@code eta > 2/L}. */
  public double largestEigenvalue() {
    double m = 0;
    for (double l : lambda) {
      m = Math.max(m, l);
    }
    return m;
  }

  public int dim() {
    return lambda.length;
  }

  /** Naive meta-objective {@code f(w_t)}, evaluated directly (underflows/overflows for large t). */
  public double naiveObjective(double eta, int t) {
    checkSteps(t);
    double s = 0;
    for (int i = 0; i < lambda.length; i++) {
      s += c[i] * c[i] * lambda[i] * Math.pow(1 - eta * lambda[i], 2.0 * t);
    }
    return 0.5 * s;
  }

  /** {@code d f(w_t) / d eta = -t sum c_i^2 lambda_i^2 (1 - eta lambda_i)^(2t-1)}, evaluated directly. */
  public double naiveDerivative(double eta, int t) {
    checkSteps(t);
    double s = 0;
    for (int i = 0; i < lambda.length; i++) {
      s += c[i] * c[i] * lambda[i] * lambda[i] * Math.pow(1 - eta * lambda[i], 2.0 * t - 1);
    }
    return -t * s;
  }

  /**
   * Log meta-objective {@code (1/t) log f(w_t)} by log-sum-exp; {@code -Infinity} only when every mode with
   * {@code c_i != 0} has {@code 1 - eta lambda_i == 0} exactly (then {@code w_t = 0}).
   */
  public double logObjective(double eta, int t) {
    checkSteps(t);
    double max = Double.NEGATIVE_INFINITY;
    double[] a = new double[lambda.length];
    for (int i = 0; i < lambda.length; i++) {
      a[i] = logTerm(i, eta, 2.0 * t, 1);
      max = Math.max(max, a[i]);
    }
    if (max == Double.NEGATIVE_INFINITY) {
      return Double.NEGATIVE_INFINITY;
    }
    double s = 0;
    for (double ai : a) {
      s += Math.exp(ai - max);
    }
    return (Math.log(0.5) + max + Math.log(s)) / t;
  }

  /**
   * {@code d/d eta (1/t) log f(w_t) = -2 sum c_i^2 lambda_i^2 (1-eta lambda_i)^(2t-1) / sum c_i^2 lambda_i
   * (1-eta lambda_i)^(2t)}, numerator and denominator scaled by the same largest log-term so neither overflows nor
   * underflows. NaN only in the degenerate case where {@link #logObjective} is {@code -Infinity}.
   */
  public double logDerivative(double eta, int t) {
    checkSteps(t);
    int n = lambda.length;
    double[] a = new double[n];
    double max = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < n; i++) {
      a[i] = logTerm(i, eta, 2.0 * t, 1);
      max = Math.max(max, a[i]);
    }
    if (max == Double.NEGATIVE_INFINITY) {
      return Double.NaN;
    }
    double num = 0;
    double den = 0;
    for (int i = 0; i < n; i++) {
      if (a[i] == Double.NEGATIVE_INFINITY) {
        continue; // c_i == 0 or 1 - eta lambda_i == 0: the mode is gone from both sums (t >= 1)
      }
      double r = 1 - eta * lambda[i];
      double b = logTerm(i, eta, 2.0 * t - 1, 2); // finite because r != 0
      num += Math.signum(r) * Math.exp(b - max);
      den += Math.exp(a[i] - max);
    }
    return -2 * num / den;
  }

  /** {@code log(c_i^2 lambda_i^p |1 - eta lambda_i|^power)}, or -Infinity when the term is exactly zero. */
  private double logTerm(int i, double eta, double power, int p) {
    double r = Math.abs(1 - eta * lambda[i]);
    if (c[i] == 0 || r == 0) {
      return Double.NEGATIVE_INFINITY;
    }
    return 2 * Math.log(Math.abs(c[i])) + p * Math.log(lambda[i]) + power * Math.log(r);
  }

  /**
   * Forward-mode differentiation through the unrolled iteration in plain double arithmetic, as autodiff would do
   * it: {@code w_{k+1} = w_k - eta H w_k}, {@code dw_{k+1} = dw_k - eta H dw_k - H w_k}, then {@code f}, {@code f'}
   * and the log objective's derivative {@code f' / (t f)}. Over/underflows for large t, by design.
   */
  public ForwardModeUnroll forwardMode(double eta, int t) {
    return ForwardModeUnroll.run(new ForwardModeUnroll.Hessian() {
      @Override
      public int dim() {
        return lambda.length;
      }

      @Override
      public void multiply(double[] v, double[] out) {
        for (int i = 0; i < lambda.length; i++) {
          out[i] = lambda[i] * v[i];
        }
      }
    }, c, eta, t);
  }

  private static void checkSteps(int t) {
    if (t < 1) {
      throw new IllegalArgumentException("unroll length t " + t + " must be >= 1");
    }
  }
}
