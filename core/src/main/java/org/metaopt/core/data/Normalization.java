package org.metaopt.core.data;

/** How image pixels are scaled into features. Immutable; thread-safe. */
public enum Normalization {
  /** Pixels scaled to {@code [0, 1]} (byte / 255). */
  NONE,
  /**
   * Pixels scaled to {@code [0, 1]}, then one global mean subtracted and divided by one global standard
   * deviation, both computed on the train split and applied to every split.
   */
  STANDARDIZE
}
