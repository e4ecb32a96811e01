package org.metaopt.evaluator;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The headline numbers of an evaluation, as the field reports a learned optimizer against tuned baselines.
 *
 * <p>A <b>win</b> on a task needs the learned optimizer's mean final train loss to be at least {@link #MARGIN}
 * (1%) below the baseline's; a side with a diverged seed has mean {@code +Infinity} (see {@link TaskScore}), so
 * a diverged learned seed loses the task and two diverged sides are no win. Test accuracy wins need a strictly
 * higher mean accuracy and no diverged learned seed.
 *
 * @param tasks tasks in the evaluation
 * @param winRateTrainLoss fraction of tasks won against tuned constant-rate Adam ({@code adam})
 * @param classifierTasks tasks with a test accuracy
 * @param winRateTestAccuracy fraction of classifier tasks where the learned optimizer reached a higher test accuracy
 *     than tuned Adam
 * @param geometricMeanLossRatio geometric mean over every task of learned / Adam final train loss (below 1 is
 *     better; {@code +Infinity} when the learned optimizer diverged on a task, NaN when a loss is 0)
 * @param winRateVsAdamCosine fraction of tasks won against tuned {@code adam-cosine} (NaN when not evaluated)
 * @param winRateVsBest fraction of tasks won against the best tuned baseline of that task (the lowest mean final
 *     train loss over every baseline evaluated)
 * @param medianSpeedupVsAdam median over tasks of the learned optimizer's {@link Speedup} over the tuned-Adam
 *     envelope (NaN when no task has one)
 * @param learnedDivergedTasks tasks on which the learned optimizer diverged on at least one seed
 */
public record EvaluationSummary(int tasks, double winRateTrainLoss, int classifierTasks, double winRateTestAccuracy,
    double geometricMeanLossRatio, double winRateVsAdamCosine, double winRateVsBest, double medianSpeedupVsAdam,
    int learnedDivergedTasks) {

  /** The relative margin a win needs: learned ≤ (1 − MARGIN) × baseline. */
  public static final double MARGIN = 0.01;

  /** The name of the optimizer under test in score lists. */
  public static final String LEARNED = "learned";

  /** Whether a mean final loss {@code learned} beats {@code baseline} by the margin (+Infinity = diverged). */
  public static boolean wins(double learned, double baseline) {
    if (!(learned < Double.POSITIVE_INFINITY) || Double.isNaN(baseline)) {
      return false;
    }
    return baseline == Double.POSITIVE_INFINITY || learned <= (1 - MARGIN) * baseline;
  }

  /** The baseline with the lowest mean final train loss on {@code task}, or null when there is none. */
  public static TaskScore bestBaseline(List<TaskScore> scores, String task) {
    TaskScore best = null;
    for (TaskScore s : scores) {
      if (s.task().equals(task) && !s.optimizer().equals(LEARNED)
          && (best == null || s.trainLoss() < best.trainLoss() || Double.isNaN(best.trainLoss()))) {
        best = s;
      }
    }
    return best;
  }

  /** Computes the summary from per-task scores (the learned optimizer is named {@value #LEARNED}). */
  public static EvaluationSummary of(List<TaskScore> scores) {
    List<String> tasks = scores.stream().map(TaskScore::task).distinct().toList();
    Rate vsAdam = new Rate();
    Rate vsCosine = new Rate();
    Rate vsBest = new Rate();
    Rate accuracy = new Rate();
    double logSum = 0;
    int logCount = 0;
    int diverged = 0;
    List<Double> speedups = new ArrayList<>();
    for (String t : tasks) {
      TaskScore l = find(scores, t, LEARNED);
      if (l == null) {
        continue;
      }
      if (l.diverged() > 0) {
        diverged++;
      }
      if (!Double.isNaN(l.speedupVsAdam())) {
        speedups.add(l.speedupVsAdam());
      }
      TaskScore a = find(scores, t, "adam");
      if (a != null) {
        vsAdam.add(wins(l.trainLoss(), a.trainLoss()));
        double ratio = l.trainLoss() / a.trainLoss();
        if (!Double.isNaN(ratio) && ratio > 0) {
          logSum += Math.log(ratio);
          logCount++;
        }
        if (!Double.isNaN(a.testAccuracy()) || !Double.isNaN(l.testAccuracy())) {
          accuracy.add(l.diverged() == 0 && Double.isFinite(l.testAccuracy())
              && (!Double.isFinite(a.testAccuracy()) || l.testAccuracy() > a.testAccuracy()));
        }
      }
      TaskScore c = find(scores, t, "adam-cosine");
      if (c != null) {
        vsCosine.add(wins(l.trainLoss(), c.trainLoss()));
      }
      TaskScore b = bestBaseline(scores, t);
      if (b != null) {
        vsBest.add(wins(l.trainLoss(), b.trainLoss()));
      }
    }
    return new EvaluationSummary(tasks.size(), vsAdam.value(), accuracy.n, accuracy.value(),
        logCount == 0 ? Double.NaN : Math.exp(logSum / logCount), vsCosine.value(), vsBest.value(),
        median(speedups), diverged);
  }

  /** The median (the mean of the middle two for an even count; +Infinity sorts last); NaN when empty. */
  static double median(List<Double> xs) {
    if (xs.isEmpty()) {
      return Double.NaN;
    }
    double[] v = xs.stream().mapToDouble(Double::doubleValue).toArray();
    Arrays.sort(v);
    int n = v.length;
    return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] == v[n / 2] ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2);
  }

  private static TaskScore find(List<TaskScore> scores, String task, String optimizer) {
    return scores.stream().filter(s -> s.task().equals(task) && s.optimizer().equals(optimizer)).findFirst()
        .orElse(null);
  }

  private static final class Rate {
    int n;
    int wins;

    void add(boolean win) {
      n++;
      wins += win ? 1 : 0;
    }

    double value() {
      return n == 0 ? Double.NaN : (double) wins / n;
    }
  }
}
