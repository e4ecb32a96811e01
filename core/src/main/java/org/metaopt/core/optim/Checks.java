package org.metaopt.core.optim;

/**
 * Argument checks shared by the baseline optimizers: hyperparameter ranges (in config records' compact
 * constructors) and array sizes (on every step).
 *
 * <p>Stateless and thread-safe.
 */
final class Checks {
  private Checks() {}

  /** Requires {@code 0 < value} and finite. */
  static void positive(String field, double value) {
    if (!(value > 0) || !Double.isFinite(value)) {
      throw new IllegalArgumentException(field + " must be finite and > 0, got " + value);
    }
  }

  /** Requires {@code 0 <= value} and finite. */
  static void nonNegative(String field, double value) {
    if (!(value >= 0) || !Double.isFinite(value)) {
      throw new IllegalArgumentException(field + " must be finite and >= 0, got " + value);
    }
  }

  /** Requires {@code 0 <= value < 1}, the range of an exponential decay rate. */
  static void decay(String field, double value) {
    if (!(value >= 0 && value < 1)) {
      throw new IllegalArgumentException(field + " must be in [0, 1), got " + value);
    }
  }

  /** Requires {@code params} and {@code grad} to both have length {@code size}. */
  static void sizes(String optimizer, int size, float[] params, float[] grad) {
    if (params.length != size || grad.length != size) {
      throw new IllegalArgumentException(
          optimizer + " was created for " + size + " parameters but got params of length " + params.length
              + " and grad of length " + grad.length);
    }
  }

  /** Requires a layout size that is not negative. */
  static int size(int size) {
    if (size < 0) {
      throw new IllegalArgumentException("size must be >= 0, got " + size);
    }
    return size;
  }
}
