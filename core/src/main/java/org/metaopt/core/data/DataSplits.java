package org.metaopt.core.data;

/**
 * The train, validation and test portions of one data set; {@code validation} or {@code test} may be empty
 * (size 0 is not allowed by {@link Dataset}, so absent splits are {@code null}). Immutable.
 */
public record DataSplits(Dataset train, Dataset validation, Dataset test) {
  public DataSplits {
    if (train == null) {
      throw new IllegalArgumentException("a train split is required");
    }
  }
}
