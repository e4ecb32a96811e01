package org.metaopt.core.optim;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Heavy-ball momentum, AdamW and Lion follow double-precision transcriptions of their defining formulas
 * (PyTorch's momentum form; Loshchilov &amp; Hutter 2019 Algorithm 2; Chen et al. 2023 Algorithm 2) over 100
 * steps of varied-scale gradients on 1000 parameters, to {@value #TOLERANCE} relative per parameter
 * ({@code |float - double| / (1 + |double|)}): what float rounding accumulates, nothing more.
 */
class OptimizerReferenceTest {
  static final double TOLERANCE = 1e-5;
  static final int N = 1000;
  static final int STEPS = 100;

  @Test
  void heavyBallMomentumMatchesDoublePrecisionReference() {
    double lr = 0.01;
    double mu = 0.9;
    assertMatches(new Momentum(new Momentum.Config(lr, mu), N), (w, grads) -> {
      double[] v = new double[N];
      for (float[] g : grads) {
        for (int i = 0; i < N; i++) {
          v[i] = mu * v[i] + g[i];
          w[i] -= lr * v[i];
        }
      }
    });
  }

  @Test
  void adamWMatchesDecoupledWeightDecayReference() {
    double lr = 1e-2;
    double b1 = 0.9;
    double b2 = 0.999;
    double eps = 1e-8;
    double wd = 0.1;
    assertMatches(new AdamW(new AdamW.Config(lr, b1, b2, eps, wd), N), (w, grads) -> {
      double[] m = new double[N];
      double[] v = new double[N];
      for (int t = 1; t <= grads.length; t++) {
        float[] g = grads[t - 1];
        for (int i = 0; i < N; i++) {
          m[i] = b1 * m[i] + (1 - b1) * g[i];
          v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
          double mHat = m[i] / (1 - Math.pow(b1, t));
          double vHat = v[i] / (1 - Math.pow(b2, t));
          w[i] -= lr * (mHat / (Math.sqrt(vHat) + eps) + wd * w[i]);
        }
      }
    });
  }

  @Test
  void adamWWithoutWeightDecayStaysCloseToAdam() {
    float[] init = GradientSequence.initialParams(3, N);
    float[][] grads = GradientSequence.gradients(4, STEPS, N);
    float[] adamW = GradientSequence.run(
        new AdamW(new AdamW.Config(1e-2, 0.9, 0.999, 1e-8, 0.0), N), init, grads);
    float[] adam = GradientSequence.run(new Adam(Adam.Config.defaults(1e-2), N), init, grads);
    // Not equal: Adam adds eps to the uncorrected sqrt(v), AdamW to the corrected one, which matters early on
    // for coordinates whose gradients are ~1e-5 (sqrt(v) ~ 3e-7 at t = 1 against eps = 1e-8).
    double diff = GradientSequence.maxRelativeDiff(adamW, adam);
    assertTrue(diff < 1e-3, "AdamW(wd=0) vs Adam: " + diff);
  }

  @Test
  void lionMatchesSignMomentumReference() {
    double lr = 1e-3;
    double b1 = 0.9;
    double b2 = 0.99;
    double wd = 0.5;
    assertMatches(new Lion(new Lion.Config(lr, b1, b2, wd), N), (w, grads) -> {
      double[] m = new double[N];
      for (float[] g : grads) {
        for (int i = 0; i < N; i++) {
          double c = b1 * m[i] + (1 - b1) * g[i];
          w[i] -= lr * (Math.signum(c) + wd * w[i]);
          m[i] = b2 * m[i] + (1 - b2) * g[i];
        }
      }
    });
  }

  /** A reference optimizer run: updates {@code w} in place over all of {@code grads}. */
  interface Reference {
    void run(double[] w, float[][] grads);
  }

  private static void assertMatches(Optimizer ours, Reference reference) {
    float[] init = GradientSequence.initialParams(5, N);
    float[][] grads = GradientSequence.gradients(6, STEPS, N);
    double[] w = new double[N];
    for (int i = 0; i < N; i++) {
      w[i] = init[i];
    }
    reference.run(w, grads);
    float[] expected = new float[N];
    for (int i = 0; i < N; i++) {
      expected[i] = (float) w[i];
    }
    float[] actual = GradientSequence.run(ours, init, grads);
    double diff = GradientSequence.maxRelativeDiff(actual, expected);
    assertTrue(diff < TOLERANCE, ours.name() + " differs from its reference by " + diff + " (relative)");
    double moved = GradientSequence.maxRelativeDiff(expected, init);
    assertTrue(moved > 100 * TOLERANCE, "parameters barely moved: " + moved);
  }
}
