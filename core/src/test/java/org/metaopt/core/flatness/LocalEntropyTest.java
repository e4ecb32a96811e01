package org.metaopt.core.flatness;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.metaopt.core.task.Batch;
import org.metaopt.core.task.quadratic.QuadraticTask;

/**
 * Closed form on an axis-aligned quadratic {@code f(w) = 1/2 Σ λ_i w_i²}: per coordinate,
 * {@code E exp(-λ (a + ξ)²/(2T))} with {@code ξ ~ N(0, T/γ)} is {@code (1 + λ/γ)^(-1/2) exp(-λ a²/(2T(1 + λ/γ)))},
 * so {@code Φ_T(w) = -T log E exp(-f(w + ξ)/T) = (T/2) Σ log(1 + λ_i/γ) + 1/2 Σ λ_i w_i²/(1 + λ_i/γ)}: the first sum
 * is the volume (flatness) term, the second the Moreau envelope. The Monte Carlo target is {@code Φ_1}.
 */
class LocalEntropyTest {
  private static final Batch FULL = Batch.full(0);

  static double closedForm(QuadraticTask task, float[] w, double gamma, double temperature) {
    double[] lambda = task.eigenvalues();
    double volume = 0;
    double envelope = 0;
    for (int i = 0; i < lambda.length; i++) {
      volume += Math.log1p(lambda[i] / gamma);
      envelope += lambda[i] * w[i] * w[i] / (1 + lambda[i] / gamma);
    }
    return 0.5 * temperature * volume + 0.5 * envelope;
  }

  @Test
  void monteCarloMatchesGaussianClosedFormWithinTwoPercent() {
    QuadraticTask q = new QuadraticTask("q", 20, 10, false, 0);
    float[] w = q.initialParams(1);
    double exact = closedForm(q, w, 4, 1);
    double mc = new LocalEntropy(4, 20000, 1, 0.01, 1).monteCarlo(q, w, FULL, 0);
    assertEquals(exact, mc, 0.02 * exact);
  }

  @Test
  void sgldAtUnitTemperatureMatchesMonteCarloTargetWithinTenPercent() {
    QuadraticTask q = new QuadraticTask("q", 20, 10, false, 0);
    float[] w = q.initialParams(1);
    double exact = closedForm(q, w, 4, 1);
    // Thermal noise 1: temperature 1, the same function the Monte Carlo estimator targets. One long chain.
    double sgld = new LocalEntropy(4, 1, 5000, 0.005, 1).sgld(q, w, FULL, 0);
    assertEquals(exact, sgld, 0.10 * exact);
  }

  @Test
  void sgldAtDefaultThermalNoiseTendsToMoreauEnvelope() {
    QuadraticTask q = new QuadraticTask("q", 30, 10, false, 0);
    float[] w = q.initialParams(2);
    double envelope = closedForm(q, w, 4, 0);
    double steps200 = new LocalEntropy(4, 1, 200, 0.05, LocalEntropy.DEFAULT_THERMAL_NOISE).sgld(q, w, FULL, 0);
    double steps20 = new LocalEntropy(4, 1, 20, 0.05, LocalEntropy.DEFAULT_THERMAL_NOISE).sgld(q, w, FULL, 0);
    assertEquals(envelope, steps200, 0.01 * envelope);
    assertEquals(envelope, steps20, 0.05 * envelope);
    assertTrue(steps20 >= steps200, "a shorter chain lags more, and the lag biases upward");
  }

  @Test
  void gradientMatchesMoreauEnvelopeGradientAtLowTemperature() {
    QuadraticTask q = new QuadraticTask("q", 20, 10, false, 0);
    float[] w = q.initialParams(3);
    double gamma = 4;
    double[] lambda = q.eigenvalues();
    float[] expected = new float[w.length];
    for (int i = 0; i < w.length; i++) {
      expected[i] = (float) (lambda[i] * w[i] / (1 + lambda[i] / gamma));
    }
    float[] got = new float[w.length];
    new LocalEntropy(gamma, 1, 200, 0.05, LocalEntropy.DEFAULT_THERMAL_NOISE).gradient(q, w, FULL, 0, got);
    assertArrayEquals(expected, got, 1e-3f);
  }

  @Test
  void flatterQuadraticHasLowerNegativeLocalEntropy() {
    QuadraticTask sharp = new QuadraticTask("sharp", 20, 1, false, 0); // every eigenvalue 1
    QuadraticTask flat = new QuadraticTask("flat", 20, 100, false, 0); // eigenvalues 0.01 .. 1
    float[] w = sharp.initialParams(4);
    LocalEntropy defaults = new LocalEntropy(4, LocalEntropy.DEFAULT_MC_SAMPLES, LocalEntropy.DEFAULT_SGLD_STEPS, 0.05,
        LocalEntropy.DEFAULT_THERMAL_NOISE);
    assertTrue(defaults.monteCarlo(flat, w, FULL, 1) < defaults.monteCarlo(sharp, w, FULL, 1));
    assertTrue(defaults.sgld(flat, w, FULL, 1) < defaults.sgld(sharp, w, FULL, 1));
    // At the minimum only the volume term (T/2) Σ log(1 + λ/γ) separates them: use temperature 1.
    float[] zero = new float[20];
    LocalEntropy hot = new LocalEntropy(4, 256, 1000, 0.01, 1);
    assertTrue(hot.monteCarlo(flat, zero, FULL, 1) < hot.monteCarlo(sharp, zero, FULL, 1));
    assertTrue(hot.sgld(flat, zero, FULL, 1) < hot.sgld(sharp, zero, FULL, 1));
  }

  @Test
  void sameSeedGivesSameValuesAndOtherSeedsDiffer() {
    QuadraticTask q = new QuadraticTask("q", 20, 10, true, 0);
    float[] w = q.initialParams(5);
    LocalEntropy a = new LocalEntropy(4, 16, 20, 0.05, 0.1);
    LocalEntropy b = new LocalEntropy(4, 16, 20, 0.05, 0.1);
    assertEquals(a.monteCarlo(q, w, FULL, 7), b.monteCarlo(q, w, FULL, 7));
    assertEquals(a.sgld(q, w, FULL, 7), b.sgld(q, w, FULL, 7));
    assertTrue(a.monteCarlo(q, w, FULL, 7) != a.monteCarlo(q, w, FULL, 8));
    float[] ga = new float[20];
    float[] gb = new float[20];
    a.gradient(q, w, FULL, 7, ga);
    b.gradient(q, w, FULL, 7, gb);
    assertArrayEquals(ga, gb);
  }

  @Test
  void nonFiniteLossGivesNaN() {
    PoisonedTask bad = new PoisonedTask(new QuadraticTask("q", 20, 10, true, 0), true, false);
    float[] w = bad.initialParams(0);
    LocalEntropy e = new LocalEntropy(4, 16, 20, 0.05, 1e-4);
    assertTrue(Double.isNaN(e.monteCarlo(bad, w, FULL, 0)));
    assertTrue(Double.isNaN(e.sgld(bad, w, FULL, 0)));
    float[] g = new float[20];
    e.gradient(bad, w, FULL, 0, g);
    assertTrue(Float.isNaN(g[0]) && Float.isNaN(g[19]));
  }

  @Test
  void rejectsUnstableStepSizeNamingTheFields() {
    IllegalArgumentException ex = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> new LocalEntropy(100, 16, 20, 0.05, 1e-4));
    assertTrue(ex.getMessage().contains("stepSize") && ex.getMessage().contains("gamma"), ex.getMessage());
  }
}
