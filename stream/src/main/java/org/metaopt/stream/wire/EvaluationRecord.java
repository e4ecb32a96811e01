package org.metaopt.stream.wire;

import java.util.List;

/**
 * The result of evaluating one optimizer version on a suite against LR-tuned baselines: one row per (task,
 * optimizer) and the headline numbers against tuned Adam. What the evaluator publishes on the {@code evaluations}
 * topic. NaN is allowed in every double (not measured, or no such split). Immutable.
 *
 * @param version the evaluated optimizer version number
 * @param thetaSha256 that version's θ hash (which numbers were evaluated)
 * @param architecture its learned-optimizer architecture
 * @param suite the evaluation suite's name
 * @param seeds evaluation seeds per task and optimizer
 * @param rows per task and optimizer scores
 * @param tasks tasks compared against tuned Adam
 * @param winRateTrainLoss fraction of tasks where the learned optimizer reached a lower final train loss
 * @param classifierTasks tasks with a test accuracy
 * @param winRateTestAccuracy fraction of classifier tasks where it reached a higher test accuracy
 * @param geometricMeanLossRatio geometric mean over tasks of learned / Adam final train loss (below 1 is better)
 * @param seconds wall time of the evaluation
 * @param createdAt ISO-8601 time the evaluation finished
 * @param winRateVsAdamCosine fraction of tasks won (1% margin) against tuned adam-cosine (schema 1.1; NaN before)
 * @param winRateVsBest fraction of tasks won (1% margin) against each task's best tuned baseline (schema 1.1)
 * @param medianSpeedupVsAdam median speedup over the tuned-Adam envelope (schema 1.1)
 * @param vsFirst the paired comparison with the run's first scored version on the same evaluation set (schema 1.2;
 *     null when not computed)
 */
public record EvaluationRecord(
    long version, String thetaSha256, String architecture, String suite, int seeds, List<Row> rows, int tasks,
    double winRateTrainLoss, int classifierTasks, double winRateTestAccuracy, double geometricMeanLossRatio,
    double seconds, String createdAt, double winRateVsAdamCosine, double winRateVsBest,
    double medianSpeedupVsAdam, Paired vsFirst) {

  public EvaluationRecord {
    requireText("thetaSha256", thetaSha256);
    requireText("architecture", architecture);
    requireText("suite", suite);
    requireText("createdAt", createdAt);
    if (rows == null) {
      throw new IllegalArgumentException("rows must be a list (may be empty), got null");
    }
    rows = List.copyOf(rows);
    requireCount("seeds", seeds);
    requireCount("tasks", tasks);
    requireCount("classifierTasks", classifierTasks);
  }

  /** A record of schema 1.0 (no win rate vs adam-cosine or the best baseline, no speedup). */
  public EvaluationRecord(long version, String thetaSha256, String architecture, String suite, int seeds,
      List<Row> rows, int tasks, double winRateTrainLoss, int classifierTasks, double winRateTestAccuracy,
      double geometricMeanLossRatio, double seconds, String createdAt) {
    this(version, thetaSha256, architecture, suite, seeds, rows, tasks, winRateTrainLoss, classifierTasks,
        winRateTestAccuracy, geometricMeanLossRatio, seconds, createdAt, Double.NaN, Double.NaN, Double.NaN, null);
  }

  /** A record of schema 1.1 (no paired comparison with the first version). */
  public EvaluationRecord(long version, String thetaSha256, String architecture, String suite, int seeds,
      List<Row> rows, int tasks, double winRateTrainLoss, int classifierTasks, double winRateTestAccuracy,
      double geometricMeanLossRatio, double seconds, String createdAt, double winRateVsAdamCosine,
      double winRateVsBest, double medianSpeedupVsAdam) {
    this(version, thetaSha256, architecture, suite, seeds, rows, tasks, winRateTrainLoss, classifierTasks,
        winRateTestAccuracy, geometricMeanLossRatio, seconds, createdAt, winRateVsAdamCosine, winRateVsBest,
        medianSpeedupVsAdam, null);
  }

  /**
   * A paired comparison with a reference version (computed by the evaluator's {@code PairedComparison}): the mean over
   * task × seed pairs of the clipped log final-train-loss ratio (this version / reference), with a 95% interval.
   *
   * @param referenceVersion the version compared against
   * @param meanLogRatio mean log ratio (below 0: this version reached lower losses)
   * @param low lower end of the 95% interval (NaN with fewer than 2 pairs)
   * @param high upper end of the 95% interval
   * @param pairs task × seed pairs
   */
  public record Paired(long referenceVersion, double meanLogRatio, double low, double high, int pairs) {
    public Paired {
      requireCount("pairs", pairs);
    }

    /** Whether this version is better than the reference beyond the interval (the interval is below 0). */
    public boolean better() {
      return high < 0;
    }

    /** Whether this version is worse than the reference beyond the interval (the interval is above 0). */
    public boolean worse() {
      return low > 0;
    }
  }

  /**
   * One optimizer on one task, averaged over evaluation seeds (mirrors the evaluator's {@code TaskScore}).
   *
   * @param task task name
   * @param optimizer optimizer name ("learned" for the version under test)
   * @param learningRate tuned learning rate for baselines, NaN for the learned optimizer
   * @param trainLoss mean final train loss over the seeds (+Infinity when one diverged; before 2026-12, over the
   *     seeds that did not diverge)
   * @param testLoss mean final test loss (NaN without a test split)
   * @param testAccuracy mean final test accuracy (NaN for non-classifiers)
   * @param generalizationGap mean test loss - train loss (NaN without a test split)
   * @param hessianTrace mean Hutchinson trace estimate at the final parameters (NaN when not measured)
   * @param diverged seeds that diverged, 0..seeds
   * @param seeds seeds run
   */
  public record Row(String task, String optimizer, double learningRate, double trainLoss, double testLoss,
      double testAccuracy, double generalizationGap, double hessianTrace, int diverged, int seeds) {

    public Row {
      requireText("task", task);
      requireText("optimizer", optimizer);
      requireCount("seeds", seeds);
      if (diverged < 0 || diverged > seeds) {
        throw new IllegalArgumentException("diverged = " + diverged + " must be in 0.." + seeds + " (the seeds run)");
      }
    }
  }

  private static void requireText(String field, String value) {
    if (value == null) {
      throw new IllegalArgumentException(field + " must be a string, got null");
    }
  }

  private static void requireCount(String field, int value) {
    if (value < 0) {
      throw new IllegalArgumentException(field + " = " + value + " must be >= 0");
    }
  }
}
