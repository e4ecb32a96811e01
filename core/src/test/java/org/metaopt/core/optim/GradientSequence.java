package org.metaopt.core.optim;

import java.util.Random;

/** A seeded, reproducible stream of gradients whose scale varies across coordinates and steps. */
final class GradientSequence {
  private GradientSequence() {}

  /** Initial parameters, standard normal. */
  static float[] initialParams(long seed, int n) {
    Random r = new Random(seed);
    float[] w = new float[n];
    for (int i = 0; i < n; i++) {
      w[i] = (float) r.nextGaussian();
    }
    return w;
  }

  /**
   * {@code steps} gradients of length {@code n}: normal noise times a fixed per-coordinate scale in
   * {@code [1e-3, 10]} times a per-step scale in {@code [0.1, 10]}, log-uniform, so that the moments of
   * adaptive optimizers span many orders of magnitude.
   */
  static float[][] gradients(long seed, int steps, int n) {
    Random r = new Random(seed);
    double[] coordScale = new double[n];
    for (int i = 0; i < n; i++) {
      coordScale[i] = Math.pow(10, -3 + 4 * r.nextDouble());
    }
    float[][] grads = new float[steps][n];
    for (int t = 0; t < steps; t++) {
      double stepScale = Math.pow(10, -1 + 2 * r.nextDouble());
      for (int i = 0; i < n; i++) {
        grads[t][i] = (float) (r.nextGaussian() * coordScale[i] * stepScale);
      }
    }
    return grads;
  }

  /** Runs {@code opt} over all {@code grads} from a copy of {@code init}; returns the final parameters. */
  static float[] run(Optimizer opt, float[] init, float[][] grads) {
    float[] w = init.clone();
    for (float[] g : grads) {
      opt.step(w, g.clone());
    }
    return w;
  }

  /** The largest {@code |a_i - b_i| / (1 + |b_i|)}. */
  static double maxRelativeDiff(float[] a, float[] b) {
    double worst = 0;
    for (int i = 0; i < a.length; i++) {
      worst = Math.max(worst, Math.abs((double) a[i] - b[i]) / (1 + Math.abs((double) b[i])));
    }
    return worst;
  }
}
