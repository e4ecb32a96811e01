package org.metaopt.core.meta;

/**
 * Weights that combine {@link ObjectiveTerms} into one meta-loss, applied where the meta-gradient is computed
 * (the learner), never where trajectories are produced. All weights finite and >= 0, at least one positive.
 */
public record ObjectiveWeights(
    double finalLoss, double meanLogLossRatio, double validationLoss, double hessianTrace, double topEigenvalue,
    double negLocalEntropy, double finalLogLossRatio, double meanClippedLoss, double negLocalEntropySgld) {

  public ObjectiveWeights {
    double[] all = {finalLoss, meanLogLossRatio, validationLoss, hessianTrace, topEigenvalue, negLocalEntropy,
        finalLogLossRatio, meanClippedLoss, negLocalEntropySgld};
    String[] names = ObjectiveTerms.NAMES.toArray(new String[0]);
    double sum = 0;
    for (int i = 0; i < all.length; i++) {
      if (!(all[i] >= 0) || Double.isInfinite(all[i])) {
        throw new IllegalArgumentException("objective weight " + names[i] + " = " + all[i] + " must be finite and >= 0");
      }
      sum += all[i];
    }
    if (sum == 0) {
      throw new IllegalArgumentException("at least one objective weight must be positive");
    }
  }

  /** The eight weights that existed before {@code negLocalEntropySgld}; its weight is 0. */
  public ObjectiveWeights(double finalLoss, double meanLogLossRatio, double validationLoss, double hessianTrace,
      double topEigenvalue, double negLocalEntropy, double finalLogLossRatio, double meanClippedLoss) {
    this(finalLoss, meanLogLossRatio, validationLoss, hessianTrace, topEigenvalue, negLocalEntropy, finalLogLossRatio,
        meanClippedLoss, 0);
  }

  /** True when a flatness term has a positive weight (then the learner normalizes the flatness terms). */
  public boolean weighsFlatness() {
    return hessianTrace > 0 || topEigenvalue > 0 || negLocalEntropy > 0 || negLocalEntropySgld > 0;
  }

  /** The seven weights that existed before {@code meanClippedLoss}; its weight is 0. */
  public ObjectiveWeights(double finalLoss, double meanLogLossRatio, double validationLoss, double hessianTrace,
      double topEigenvalue, double negLocalEntropy, double finalLogLossRatio) {
    this(finalLoss, meanLogLossRatio, validationLoss, hessianTrace, topEigenvalue, negLocalEntropy, finalLogLossRatio,
        0, 0);
  }

  /** The six weights that existed before {@code finalLogLossRatio}; its weight is 0. */
  public ObjectiveWeights(double finalLoss, double meanLogLossRatio, double validationLoss, double hessianTrace,
      double topEigenvalue, double negLocalEntropy) {
    this(finalLoss, meanLogLossRatio, validationLoss, hessianTrace, topEigenvalue, negLocalEntropy, 0, 0, 0);
  }

  /** Seed 3's objective alone: the mean log loss ratio. */
  public static ObjectiveWeights meanLogLossRatioOnly() {
    return new ObjectiveWeights(0, 1, 0, 0, 0, 0);
  }

  /** The weighted sum; {@code NaN} when a term with a positive weight was not measured. */
  public double combine(ObjectiveTerms t) {
    return term(finalLoss, t.finalLoss()) + term(meanLogLossRatio, t.meanLogLossRatio())
        + term(validationLoss, t.validationLoss()) + term(hessianTrace, t.hessianTrace())
        + term(topEigenvalue, t.topEigenvalue()) + term(negLocalEntropy, t.negLocalEntropy())
        + term(finalLogLossRatio, t.finalLogLossRatio()) + term(meanClippedLoss, t.meanClippedLoss())
        + term(negLocalEntropySgld, t.negLocalEntropySgld());
  }

  private static double term(double w, double value) {
    return w == 0 ? 0 : w * value;
  }
}
