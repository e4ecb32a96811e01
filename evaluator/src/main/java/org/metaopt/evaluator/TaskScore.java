package org.metaopt.evaluator;

/**
 * One optimizer on one task, over the evaluation seeds (each its own problem instance).
 *
 * @param task task name
 * @param optimizer optimizer name ("learned" for the version under test)
 * @param learningRate tuned learning rate for baselines, NaN for the learned optimizer
 * @param trainLoss mean final full-train-split loss over the seeds; {@code +Infinity} when any seed diverged (a
 *     diverged run is a loss, never dropped)
 * @param testLoss mean final test loss over the seeds that did not diverge (NaN without a test split)
 * @param testAccuracy mean final test accuracy over the seeds that did not diverge (NaN for non-classifiers)
 * @param generalizationGap mean of test loss - train loss over those seeds (NaN without a test split)
 * @param hessianTrace mean Hutchinson trace estimate at the final parameters (NaN when not measured)
 * @param diverged seeds that diverged
 * @param seeds seeds run
 * @param lossCurve the training (minibatch) loss curve averaged over the seeds that did not diverge, downsampled
 *     by {@link org.metaopt.core.train.LossCurve} (point i covers steps {@code [i*lossCurveStride,
 *     (i+1)*lossCurveStride)}); when every seed diverged, the first seed's curve up to its divergence
 * @param lossCurveStride steps per point of {@code lossCurve}
 * @param speedupVsAdam {@link Speedup} of this optimizer's curve over the tuned-Adam envelope (NaN when not known)
 * @param seedTrainLosses each evaluation seed's final full-train-split loss, in seed order ({@code +Infinity} for a
 *     diverged seed; empty when not known), for {@link PairedComparison}
 */
public record TaskScore(String task, String optimizer, double learningRate, double trainLoss, double testLoss,
    double testAccuracy, double generalizationGap, double hessianTrace, int diverged, int seeds, float[] lossCurve,
    int lossCurveStride, double speedupVsAdam, double[] seedTrainLosses) {

  public TaskScore {
    lossCurve = lossCurve == null ? new float[0] : lossCurve;
    seedTrainLosses = seedTrainLosses == null ? new double[0] : seedTrainLosses;
    if (lossCurveStride < 1) {
      throw new IllegalArgumentException("lossCurveStride " + lossCurveStride + " must be >= 1");
    }
  }

  /** A score without a loss curve or speedup (e.g. rebuilt from a record that does not carry them). */
  public TaskScore(String task, String optimizer, double learningRate, double trainLoss, double testLoss,
      double testAccuracy, double generalizationGap, double hessianTrace, int diverged, int seeds) {
    this(task, optimizer, learningRate, trainLoss, testLoss, testAccuracy, generalizationGap, hessianTrace, diverged,
        seeds, new float[0], 1, Double.NaN, new double[0]);
  }

  /** This score with a speedup. */
  public TaskScore withSpeedup(double speedup) {
    return new TaskScore(task, optimizer, learningRate, trainLoss, testLoss, testAccuracy, generalizationGap,
        hessianTrace, diverged, seeds, lossCurve, lossCurveStride, speedup, seedTrainLosses);
  }
}
