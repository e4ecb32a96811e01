package org.metaopt.core.lopt;

import java.util.SplittableRandom;

/**
 * Random initialization of θ blocks, as Haiku/Sonnet initialize linear layers: a normal truncated at two
 * standard deviations, {@code std = scale / sqrt(fanIn)}.
 *
 * <p>Stateless and thread-safe (the random generator is the caller's).
 */
public final class Init {
  private Init() {}

  /** Fills {@code theta[off, off + count)} with truncated normals of the given standard deviation. */
  public static void truncatedNormal(float[] theta, int off, int count, double std, SplittableRandom rng) {
    for (int i = 0; i < count; i++) {
      double z;
      do {
        z = rng.nextGaussian();
      } while (Math.abs(z) > 2);
      theta[off + i] = (float) (z * std);
    }
  }
}
