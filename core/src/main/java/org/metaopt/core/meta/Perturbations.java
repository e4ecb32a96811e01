package org.metaopt.core.meta;

import java.util.SplittableRandom;

/**
 * Standard-normal perturbation directions regenerated from their seeds, so records carry a seed instead of a
 * vector and any learner (or a replay) rebuilds the same direction. Stateless.
 */
public final class Perturbations {
  private Perturbations() {}

  /** Writes {@code z ~ N(0, I)} drawn from {@code seed} into {@code out}. */
  public static void normal(long seed, float[] out) {
    SplittableRandom rng = new SplittableRandom(seed);
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) rng.nextGaussian();
    }
  }

  /** Adds {@code scale * z(seed)} to {@code acc}. */
  public static void addNormal(long seed, double scale, float[] acc) {
    SplittableRandom rng = new SplittableRandom(seed);
    for (int i = 0; i < acc.length; i++) {
      acc[i] += (float) (scale * rng.nextGaussian());
    }
  }
}
