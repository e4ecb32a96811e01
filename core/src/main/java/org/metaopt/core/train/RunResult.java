package org.metaopt.core.train;

import org.metaopt.core.task.Evaluation;

/**
 * The outcome of training one task with one optimizer.
 *
 * @param stepsCompleted optimizer steps taken (fewer than requested when the run diverged)
 * @param minibatchLosses the loss of every step's minibatch, before that step's update
 * @param train full train-split evaluation of the final parameters ({@code NaN} loss when diverged)
 * @param test test-split evaluation, or null when the task has no test split
 * @param diverged true when a loss or gradient became NaN/Inf or the loss blew up
 * @param divergenceReason why, or null
 * @param stepsPerSecond optimizer steps per second of the training loop (evaluation excluded)
 * @param finalParams the final parameters
 */
public record RunResult(
    int stepsCompleted,
    float[] minibatchLosses,
    Evaluation train,
    Evaluation test,
    boolean diverged,
    String divergenceReason,
    double stepsPerSecond,
    float[] finalParams) {

  /** Mean minibatch loss over the last {@code fraction} of the completed steps (at least one step). */
  public double tailMeanLoss(double fraction) {
    if (stepsCompleted == 0) {
      return Double.NaN;
    }
    int k = Math.max(1, (int) Math.ceil(stepsCompleted * fraction));
    double s = 0;
    for (int i = stepsCompleted - k; i < stepsCompleted; i++) {
      s += minibatchLosses[i];
    }
    return s / k;
  }

  /**
   * The lowest mean minibatch loss over any {@code fraction} of the completed steps in a row (at least one step):
   * the best the run did, robust to single lucky minibatches. NaN without steps.
   */
  public double bestWindowMeanLoss(double fraction) {
    if (stepsCompleted == 0) {
      return Double.NaN;
    }
    int k = Math.max(1, (int) Math.ceil(stepsCompleted * fraction));
    double s = 0;
    for (int i = 0; i < k; i++) {
      s += minibatchLosses[i];
    }
    double best = s;
    for (int i = k; i < stepsCompleted; i++) {
      s += minibatchLosses[i] - minibatchLosses[i - k];
      best = Math.min(best, s);
    }
    return best / k;
  }
}
