package org.metaopt.core.task;

/**
 * A full-split evaluation: mean loss, and accuracy in [0, 1] for classifiers ({@code NaN} otherwise; see
 * {@link #hasAccuracy()}).
 */
public record Evaluation(double loss, double accuracy) {

  /** An evaluation of a task that has no notion of accuracy. */
  public static Evaluation lossOnly(double loss) {
    return new Evaluation(loss, Double.NaN);
  }

  public boolean hasAccuracy() {
    return !Double.isNaN(accuracy);
  }
}
