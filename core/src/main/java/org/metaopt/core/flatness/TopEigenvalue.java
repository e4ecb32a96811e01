package org.metaopt.core.flatness;

import java.util.SplittableRandom;
import org.metaopt.core.task.Batch;
import org.metaopt.core.task.Task;

/**
 * The largest-magnitude Hessian eigenvalue by power iteration: {@code v_0} Gaussian from the seed, then
 * {@code v_{i+1} = H v_i / ||H v_i||}; the estimate after {@code n} Hessian-vector products is the Rayleigh
 * quotient {@code v_{n-1}ᵀ H v_{n-1}} (signed, so a negative-curvature direction of larger magnitude shows as
 * a negative value), as in the released code of Yang et al. (2023) with 10 iterations.
 *
 * <p>With a tolerance {@code tol > 0} the iteration stops early once successive Rayleigh quotients differ by at
 * most {@code tol · |current|}. Holds two scratch vectors (reallocated only when the parameter count changes):
 * not thread-safe, one instance per thread.
 */
public final class TopEigenvalue {
  public static final int DEFAULT_ITERATIONS = 10;

  /**
   * An eigenvalue estimate: the final Rayleigh quotient (NaN when a product was not finite), the number of
   * Hessian-vector products used, and whether the tolerance test passed before the iteration budget ran out.
   */
  public record Estimate(double eigenvalue, int iterations, boolean converged) {}

  private final int maxIterations;
  private final double tolerance;
  private float[] v;
  private float[] hv;

  /** {@link #DEFAULT_ITERATIONS} iterations, no early stop. */
  public TopEigenvalue() {
    this(DEFAULT_ITERATIONS, 0);
  }

  /**
   * @param maxIterations Hessian-vector products at most, at least 1
   * @param tolerance relative change of the Rayleigh quotient that stops early, {@code >= 0} (0: never)
   */
  public TopEigenvalue(int maxIterations, double tolerance) {
    Vectors.requirePositive("maxIterations", maxIterations);
    Vectors.requireNonNegativeFinite("tolerance", tolerance);
    this.maxIterations = maxIterations;
    this.tolerance = tolerance;
  }

  /** Estimates the top eigenvalue of {@code H(params; batch)} from a start vector drawn from {@code seed}. */
  public Estimate estimate(Task task, float[] params, Batch batch, long seed) {
    int n = Vectors.checkedSize(task, params);
    v = Vectors.sized(v, n);
    hv = Vectors.sized(hv, n);
    SplittableRandom rng = new SplittableRandom(seed);
    double norm = 0;
    while (norm == 0) {
      Vectors.gaussian(v, rng);
      norm = Math.sqrt(Vectors.dot(v, v));
    }
    scale(v, v, 1 / norm);
    double rho = Double.NaN;
    for (int it = 1; it <= maxIterations; it++) {
      task.hessianVectorProduct(params, batch, v, hv);
      double next = Vectors.dot(v, hv);
      double hvNorm = Math.sqrt(Vectors.dot(hv, hv));
      if (!Double.isFinite(next) || !Double.isFinite(hvNorm)) {
        return new Estimate(Double.NaN, it, false);
      }
      boolean converged = tolerance > 0 && Math.abs(next - rho) <= tolerance * Math.abs(next);
      rho = next;
      if (hvNorm == 0) {
        return new Estimate(0, it, true); // H v = 0: for a Gaussian start, H = 0 almost surely
      }
      if (converged) {
        return new Estimate(rho, it, true);
      }
      scale(hv, v, 1 / hvNorm);
    }
    return new Estimate(rho, maxIterations, false);
  }

  private static void scale(float[] from, float[] to, double s) {
    for (int i = 0; i < from.length; i++) {
      to[i] = (float) (from[i] * s);
    }
  }
}
