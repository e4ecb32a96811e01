package org.metaopt.evaluator;

import java.util.List;

/**
 * The headline numbers of an evaluation: against tuned Adam, the fraction of tasks where the learned optimizer
 * reached a lower final train loss and where it reached a higher test accuracy (classifiers only), and the
 * geometric mean over tasks of learned / Adam final train loss (below 1 is better). A diverged learned run loses;
 * a diverged Adam run loses to any finite learned run.
 */
public record EvaluationSummary(int tasks, double winRateTrainLoss, int classifierTasks, double winRateTestAccuracy,
    double geometricMeanLossRatio) {

  /** Computes the summary from per-task scores (the learned optimizer is named "learned"). */
  public static EvaluationSummary of(List<TaskScore> scores) {
    List<String> tasks = scores.stream().map(TaskScore::task).distinct().toList();
    int wins = 0;
    int accTasks = 0;
    int accWins = 0;
    double logSum = 0;
    int logCount = 0;
    for (String t : tasks) {
      TaskScore l = find(scores, t, "learned");
      TaskScore a = find(scores, t, "adam");
      if (l == null || a == null) {
        continue;
      }
      boolean lOk = Double.isFinite(l.trainLoss());
      boolean aOk = Double.isFinite(a.trainLoss());
      if (lOk && (!aOk || l.trainLoss() < a.trainLoss())) {
        wins++;
      }
      if (lOk && aOk && l.trainLoss() > 0 && a.trainLoss() > 0) {
        logSum += Math.log(l.trainLoss() / a.trainLoss());
        logCount++;
      }
      if (!Double.isNaN(a.testAccuracy()) || !Double.isNaN(l.testAccuracy())) {
        accTasks++;
        if (Double.isFinite(l.testAccuracy()) && (!Double.isFinite(a.testAccuracy())
            || l.testAccuracy() > a.testAccuracy())) {
          accWins++;
        }
      }
    }
    return new EvaluationSummary(tasks.size(), tasks.isEmpty() ? Double.NaN : (double) wins / tasks.size(), accTasks,
        accTasks == 0 ? Double.NaN : (double) accWins / accTasks,
        logCount == 0 ? Double.NaN : Math.exp(logSum / logCount));
  }

  private static TaskScore find(List<TaskScore> scores, String task, String optimizer) {
    return scores.stream().filter(s -> s.task().equals(task) && s.optimizer().equals(optimizer)).findFirst()
        .orElse(null);
  }
}
