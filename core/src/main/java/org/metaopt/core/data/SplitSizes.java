package org.metaopt.core.data;

import org.metaopt.core.UserError;

/**
 * How many examples go into the train, validation and test splits; a size of 0 means the split is absent
 * ({@code null} in {@link DataSplits}). Immutable; thread-safe.
 */
public record SplitSizes(int trainExamples, int validationExamples, int testExamples) {

  public SplitSizes {
    if (trainExamples < 1) {
      throw new UserError("trainExamples " + trainExamples + " must be >= 1");
    }
    if (validationExamples < 0) {
      throw new UserError("validationExamples " + validationExamples + " must be >= 0");
    }
    if (testExamples < 0) {
      throw new UserError("testExamples " + testExamples + " must be >= 0");
    }
  }
}
