package org.metaopt.core.meta;

/**
 * The meta-objective terms measured on one side (+ or −) of one truncation segment, each recorded separately so
 * that any weighting can be applied later without re-running (replay relies on this). {@code NaN} means "not
 * measured": a flatness term is measured when its weight is positive or the config's {@code objective.record}
 * names it, so replay can re-weight exactly the terms that were recorded. Flatness terms are recorded raw; the
 * learner normalizes them per trajectory ({@link FlatnessNormalization}) before weighting.
 *
 * @param finalLoss minibatch loss at the segment's last step
 * @param meanLogLossRatio seed 3's {@code mean_t log(f_t / (f_0 + 1e-6) + 1e-6)} over the segment's steps, with
 *     {@code f_0} the trajectory's initial loss
 * @param validationLoss loss of the segment's final parameters on the validation split (train-by-validation)
 * @param hessianTrace Hutchinson estimate of tr(H) at the segment's final parameters
 * @param topEigenvalue power-iteration estimate of the top Hessian eigenvalue there
 * @param negLocalEntropy Monte Carlo estimate {@code -log mean_k exp(-f(w + xi_k))} of the negative local entropy
 *     there (up to a constant; see {@link org.metaopt.core.flatness.LocalEntropy})
 * @param finalLogLossRatio on the segment that ends its trajectory, the mean of seed 3's per-step term over its last
 *     {@link #FINAL_STEPS} steps (the trajectory's final loss, in log-ratio units); 0 on every other segment, so the
 *     segments' sum is the trajectory's final-loss objective (what "final training loss" evaluations score)
 * @param meanClippedLoss Celo2's meta-objective: the mean over the segment's steps of each step's minibatch loss
 *     (before that step's update) clipped to {@code [0, }{@link #LOSS_CLIP}{@code ]}, a non-finite loss counting as
 *     the clip (../shared/RESEARCH.md § Celo2); a diverged side's capped loss is clipped too, so it stays the
 *     largest value the term can take
 * @param negLocalEntropySgld the annealed-SGLD estimate of the negative local entropy at the segment's final
 *     parameters ({@link org.metaopt.core.flatness.LocalEntropy#sgld}); segment schema 1.3
 */
public record ObjectiveTerms(
    double finalLoss, double meanLogLossRatio, double validationLoss, double hessianTrace, double topEigenvalue,
    double negLocalEntropy, double finalLogLossRatio, double meanClippedLoss, double negLocalEntropySgld) {

  /** Celo2's clip of a step's loss: {@code 1.5 ln 10}. */
  public static final double LOSS_CLIP = 1.5 * Math.log(10);

  /** The terms' names, in the order of {@link #values()}. */
  public static final java.util.List<String> NAMES = java.util.List.of("finalLoss", "meanLogLossRatio",
      "validationLoss", "hessianTrace", "topEigenvalue", "negLocalEntropy", "finalLogLossRatio", "meanClippedLoss",
      "negLocalEntropySgld");

  /** The terms in the order of {@link #NAMES}. */
  public double[] values() {
    return new double[] {finalLoss, meanLogLossRatio, validationLoss, hessianTrace, topEigenvalue, negLocalEntropy,
        finalLogLossRatio, meanClippedLoss, negLocalEntropySgld};
  }

  /** The eight terms recorded before {@code negLocalEntropySgld} existed (segment schema 1.2); that one is NaN. */
  public ObjectiveTerms(double finalLoss, double meanLogLossRatio, double validationLoss, double hessianTrace,
      double topEigenvalue, double negLocalEntropy, double finalLogLossRatio, double meanClippedLoss) {
    this(finalLoss, meanLogLossRatio, validationLoss, hessianTrace, topEigenvalue, negLocalEntropy, finalLogLossRatio,
        meanClippedLoss, Double.NaN);
  }

  /** These terms with the four flatness terms replaced (in {@link org.metaopt.core.flatness.FlatnessTerm} order). */
  public ObjectiveTerms withFlatness(double trace, double top, double entropyMc, double entropySgld) {
    return new ObjectiveTerms(finalLoss, meanLogLossRatio, validationLoss, trace, top, entropyMc, finalLogLossRatio,
        meanClippedLoss, entropySgld);
  }

  /** The seven terms recorded before {@code meanClippedLoss} existed (segment schema 1.1); that one is NaN. */
  public ObjectiveTerms(double finalLoss, double meanLogLossRatio, double validationLoss, double hessianTrace,
      double topEigenvalue, double negLocalEntropy, double finalLogLossRatio) {
    this(finalLoss, meanLogLossRatio, validationLoss, hessianTrace, topEigenvalue, negLocalEntropy, finalLogLossRatio,
        Double.NaN, Double.NaN);
  }

  /** One step's contribution to {@link #meanClippedLoss}: the loss clipped to {@code [0, LOSS_CLIP]}, NaN → the clip. */
  public static double clippedLoss(double loss) {
    return Double.isNaN(loss) ? LOSS_CLIP : Math.min(LOSS_CLIP, Math.max(0, loss));
  }

  /** Steps at a trajectory's end averaged by {@link #finalLogLossRatio}. */
  public static final int FINAL_STEPS = 10;

  /** The six terms recorded before {@code finalLogLossRatio} existed; that one is NaN (not measured). */
  public ObjectiveTerms(double finalLoss, double meanLogLossRatio, double validationLoss, double hessianTrace,
      double topEigenvalue, double negLocalEntropy) {
    this(finalLoss, meanLogLossRatio, validationLoss, hessianTrace, topEigenvalue, negLocalEntropy, Double.NaN,
        Double.NaN, Double.NaN);
  }

  /** Seed 3's per-step term {@code log(f_t / (f_0 + 1e-6) + 1e-6)}. */
  public static double logLossRatio(double loss, double initialLoss) {
    return Math.log(loss / (initialLoss + 1e-6) + 1e-6);
  }
}
