package org.metaopt.core.optim;

/**
 * Software flush-to-zero for the baseline optimizers' state, {@code (x + F) - F}: x86 computes on subnormal floats
 * (below 2^-126) in microcode, ~100x slower per element, and a moment of a coordinate whose gradient is (almost)
 * always 0 — a weight on an always-black Fashion-MNIST pixel — decays into that range after a few hundred steps.
 * Measured on the MLP 784-128-10 (`UpdateTimeline adam`, docs/benchmarks.md): Adam's update went from ~54 to
 * ~450 µs per step after ~800 steps without the flush, and stays at ~55 µs with it. Stateless.
 */
final class Subnormals {
  /**
   * For first moments and velocities: values below 2^-60 are rounded to multiples of 2^-83 (0 below 2^-84), so that
   * neither they nor their products with a learning rate or bias correction are subnormal; values of 2^-60 and
   * above are unchanged (the addition is exact to within their own rounding).
   */
  static final float MOMENT = 0x1p-60f;
  /** For second moments (mean squares): values below 2^-124 become 0, values above 2^-76 are unchanged. */
  static final float SQUARE = 0x1p-100f;

  private Subnormals() {}
}
