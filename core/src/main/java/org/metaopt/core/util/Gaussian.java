package org.metaopt.core.util;

import java.util.SplittableRandom;

/** Standard normal draws from a {@link SplittableRandom} (Java 17's lacks {@code nextGaussian}). Stateless. */
public final class Gaussian {
  private Gaussian() {}

  /** One N(0, 1) draw by the Box–Muller transform. */
  public static double next(SplittableRandom rng) {
    double u = 1.0 - rng.nextDouble(); // (0, 1]: log is finite
    double v = rng.nextDouble();
    return Math.sqrt(-2.0 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
}
