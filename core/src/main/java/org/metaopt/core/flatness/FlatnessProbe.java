package org.metaopt.core.flatness;

import java.util.SplittableRandom;
import org.metaopt.core.task.Batch;
import org.metaopt.core.task.Task;

/**
 * Computes the configured flatness terms of a task at a point, for the meta-learner to record at the end of each
 * truncation window.
 *
 * <p>Each term draws from its own seed, derived from the call's seed in a fixed order, so a term's value does not
 * depend on which other terms are enabled. Owns one instance of each estimator and their scratch vectors: not
 * thread-safe, one probe per thread (like the task it is given).
 */
public final class FlatnessProbe {
  private final FlatnessConfig config;
  private final HutchinsonTrace trace;
  private final TopEigenvalue eigen;
  private final LocalEntropy entropy;

  public FlatnessProbe(FlatnessConfig config) {
    if (config == null) {
      throw new IllegalArgumentException("config must not be null; use FlatnessConfig.defaults(seed)");
    }
    this.config = config;
    this.trace = new HutchinsonTrace(config.traceProbes());
    this.eigen = new TopEigenvalue(config.powerIterations(), config.powerTolerance());
    this.entropy = new LocalEntropy(config.gamma(), config.mcSamples(), config.sgldSteps(), config.sgldStepSize(),
        config.sgldThermalNoise());
  }

  public FlatnessConfig config() {
    return config;
  }

  /** The configured terms at {@code (params, batch)} with the configuration's seed. */
  public FlatnessTerms measure(Task task, float[] params, Batch batch) {
    return measure(task, params, batch, config.seed());
  }

  /** The configured terms at {@code (params, batch)} with {@code seed}; terms not configured are NaN. */
  public FlatnessTerms measure(Task task, float[] params, Batch batch, long seed) {
    SplittableRandom seeds = new SplittableRandom(seed);
    long traceSeed = seeds.nextLong();
    long eigenSeed = seeds.nextLong();
    long mcSeed = seeds.nextLong();
    long sgldSeed = seeds.nextLong();
    double tr = Double.NaN;
    double trErr = Double.NaN;
    if (config.terms().contains(FlatnessTerm.HESSIAN_TRACE)) {
      HutchinsonTrace.Estimate e = trace.estimate(task, params, batch, traceSeed);
      tr = e.trace();
      trErr = e.standardError();
    }
    double top = config.terms().contains(FlatnessTerm.TOP_EIGENVALUE)
        ? eigen.estimate(task, params, batch, eigenSeed).eigenvalue() : Double.NaN;
    double mc = config.terms().contains(FlatnessTerm.NEG_LOCAL_ENTROPY_MC)
        ? entropy.monteCarlo(task, params, batch, mcSeed) : Double.NaN;
    double sgld = config.terms().contains(FlatnessTerm.NEG_LOCAL_ENTROPY_SGLD)
        ? entropy.sgld(task, params, batch, sgldSeed) : Double.NaN;
    return new FlatnessTerms(tr, trErr, top, mc, sgld);
  }
}
