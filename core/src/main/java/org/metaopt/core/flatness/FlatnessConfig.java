package org.metaopt.core.flatness;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * What a {@link FlatnessProbe} computes and with which estimator settings; validated on construction, immutable.
 *
 * @param terms the measures to compute (non-null; may be empty)
 * @param traceProbes Rademacher probes of the Hutchinson trace, {@code >= 1} (default 10)
 * @param powerIterations Hessian-vector products of power iteration at most, {@code >= 1} (default 10)
 * @param powerTolerance relative change of the Rayleigh quotient that stops power iteration early,
 *     {@code >= 0}, 0 for never (default 0)
 * @param gamma local-entropy coupling {@code γ > 0}; perturbation std {@code 1/sqrt(γ)} per coordinate
 *     (default 1000, i.e. about 0.03)
 * @param mcSamples Monte Carlo samples, {@code >= 1} (default 16)
 * @param sgldSteps Langevin steps, {@code >= 1} (default 20)
 * @param sgldStepSize Langevin step {@code η > 0} with {@code η γ <= 1} (default 2e-4, so {@code ηγ = 0.2})
 * @param sgldThermalNoise {@code ε >= 0}, temperature {@code ε²} (default 1e-4, Entropy-SGD's released setting)
 * @param seed seed of every random draw
 */
public record FlatnessConfig(Set<FlatnessTerm> terms, int traceProbes, int powerIterations, double powerTolerance,
    double gamma, int mcSamples, int sgldSteps, double sgldStepSize, double sgldThermalNoise, long seed) {

  public static final double DEFAULT_GAMMA = 1000;
  public static final double DEFAULT_SGLD_STEP_SIZE = 2e-4;

  public FlatnessConfig {
    if (terms == null) {
      throw new IllegalArgumentException("terms must not be null; use an empty set to compute nothing");
    }
    terms = terms.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(terms));
    check("traceProbes", traceProbes, 1);
    check("powerIterations", powerIterations, 1);
    check("mcSamples", mcSamples, 1);
    check("sgldSteps", sgldSteps, 1);
    if (!(powerTolerance >= 0) || Double.isInfinite(powerTolerance)) {
      throw new IllegalArgumentException("powerTolerance " + powerTolerance + " must be finite and >= 0 (0: no early stop)");
    }
    if (!(gamma > 0) || Double.isInfinite(gamma)) {
      throw new IllegalArgumentException("gamma " + gamma + " must be finite and > 0");
    }
    if (!(sgldStepSize > 0) || sgldStepSize * gamma > 1) {
      throw new IllegalArgumentException("sgldStepSize " + sgldStepSize + " must be in (0, 1/gamma] = (0, "
          + 1 / gamma + "] for a stable Langevin chain at gamma " + gamma);
    }
    if (!(sgldThermalNoise >= 0) || Double.isInfinite(sgldThermalNoise)) {
      throw new IllegalArgumentException("sgldThermalNoise " + sgldThermalNoise + " must be finite and >= 0");
    }
  }

  /** Every term with the default settings. */
  public static FlatnessConfig defaults(long seed) {
    return new FlatnessConfig(EnumSet.allOf(FlatnessTerm.class), HutchinsonTrace.DEFAULT_PROBES,
        TopEigenvalue.DEFAULT_ITERATIONS, 0, DEFAULT_GAMMA, LocalEntropy.DEFAULT_MC_SAMPLES,
        LocalEntropy.DEFAULT_SGLD_STEPS, DEFAULT_SGLD_STEP_SIZE, LocalEntropy.DEFAULT_THERMAL_NOISE, seed);
  }

  /** This configuration computing only {@code selected}. */
  public FlatnessConfig withTerms(Set<FlatnessTerm> selected) {
    return new FlatnessConfig(selected, traceProbes, powerIterations, powerTolerance, gamma, mcSamples, sgldSteps,
        sgldStepSize, sgldThermalNoise, seed);
  }

  /** This configuration with local-entropy coupling {@code newGamma}, Langevin step and thermal noise replaced. */
  public FlatnessConfig withLocalEntropy(double newGamma, double stepSize, double thermalNoise) {
    return new FlatnessConfig(terms, traceProbes, powerIterations, powerTolerance, newGamma, mcSamples, sgldSteps,
        stepSize, thermalNoise, seed);
  }

  private static void check(String field, int value, int min) {
    if (value < min) {
      throw new IllegalArgumentException(field + " " + value + " must be >= " + min);
    }
  }
}
