package org.metaopt.core.flatness;

import java.util.SplittableRandom;
import org.metaopt.core.task.Batch;
import org.metaopt.core.task.Task;

/**
 * Hutchinson's estimate of the Hessian trace, {@code tr(H) ≈ (1/k) Σ_j v_jᵀ H v_j} over {@code k}
 * Rademacher probes {@code v_j}, with the standard error of that mean.
 *
 * <p>Each probe costs one {@link Task#hessianVectorProduct} at {@code (params, batch)}. The estimate is
 * unbiased; its per-probe variance is {@code 2 Σ_{i≠j} H_ij²} (zero for a diagonal Hessian). Holds two scratch
 * vectors (reallocated only when the parameter count changes): not thread-safe, one instance per thread.
 */
public final class HutchinsonTrace {
  /** Probes per estimate in the released code of Yang et al. (2023). */
  public static final int DEFAULT_PROBES = 10;

  /**
   * A trace estimate: {@code trace} is the probe mean; {@code standardError} is the sample standard deviation
   * of the per-probe values over {@code sqrt(k)} (NaN for a single probe). Both NaN when a product was not finite.
   */
  public record Estimate(double trace, double standardError) {
    static final Estimate NAN = new Estimate(Double.NaN, Double.NaN);
  }

  private final int probes;
  private float[] v;
  private float[] hv;

  /** An estimator with {@link #DEFAULT_PROBES} probes. */
  public HutchinsonTrace() {
    this(DEFAULT_PROBES);
  }

  /** @param probes Rademacher probes per estimate, at least 1 */
  public HutchinsonTrace(int probes) {
    Vectors.requirePositive("probes", probes);
    this.probes = probes;
  }

  public int probes() {
    return probes;
  }

  /** Estimates {@code tr(H(params; batch))} with probes drawn from {@code seed}. */
  public Estimate estimate(Task task, float[] params, Batch batch, long seed) {
    int n = Vectors.checkedSize(task, params);
    v = Vectors.sized(v, n);
    hv = Vectors.sized(hv, n);
    SplittableRandom rng = new SplittableRandom(seed);
    double mean = 0;
    double m2 = 0; // Welford
    for (int j = 0; j < probes; j++) {
      Vectors.rademacher(v, rng);
      task.hessianVectorProduct(params, batch, v, hv);
      double q = Vectors.dot(v, hv);
      if (!Double.isFinite(q)) {
        return Estimate.NAN;
      }
      double delta = q - mean;
      mean += delta / (j + 1);
      m2 += delta * (q - mean);
    }
    double stdErr = probes < 2 ? Double.NaN : Math.sqrt(m2 / (probes - 1) / probes);
    return new Estimate(mean, stdErr);
  }
}
