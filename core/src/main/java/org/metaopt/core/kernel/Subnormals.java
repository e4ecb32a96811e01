package org.metaopt.core.kernel;

/**
 * Software flush-to-zero for the baseline optimizers' state, {@code (x + F) - F}: x86 computes on subnormal floats
 * (below 2^-126) in microcode, ~100x slower per element, and a moment of a coordinate whose gradient is (almost)
 * always 0 — a weight on an always-black Fashion-MNIST pixel — decays into that range after a few hundred steps.
 * Measured on the MLP 784-128-10 (`UpdateTimeline adam`, docs/benchmarks.md): Adam's update went from ~54 to
 * ~450 µs per step after ~800 steps without the flush, and stays at ~55 µs with it. Public because the learned
 * optimizers' kernels ({@code lopt}) flush their state with the same constant. Stateless.
 */
public final class Subnormals {
  /**
   * For first moments and velocities: values below 2^-60 are rounded to multiples of 2^-83 (0 below 2^-84), so that
   * neither they nor their products with a learning rate or bias correction are subnormal; larger values move by at
   * most half a float rounding (2^-84 absolute) and values of 2^-35 and above are unchanged (at 2^-36 a tie may move one ulp).
   */
  public static final float MOMENT = 0x1p-60f;
  /**
   * For second moments (mean squares), and the learned optimizers' decaying state ({@code FastMath.FLUSH}): values
   * below 2^-124 become 0, values of 2^-75 and above are unchanged.
   */
  public static final float SQUARE = 0x1p-100f;

  private Subnormals() {}
}
