package org.metaopt.core.lopt;

/**
 * Array-size checks done on every step of a learned optimizer.
 *
 * <p>Stateless and thread-safe.
 */
final class LoptChecks {
  private LoptChecks() {}

  /** Requires {@code params} and {@code grad} to both have length {@code size}. */
  static void sizes(String arch, int size, float[] params, float[] grad) {
    if (params.length != size || grad.length != size) {
      throw new IllegalArgumentException(arch + " optimizer was created for " + size
          + " parameters but got params of length " + params.length + " and grad of length " + grad.length);
    }
  }
}
