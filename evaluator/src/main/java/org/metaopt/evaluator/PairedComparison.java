package org.metaopt.evaluator;

import java.util.ArrayList;
import java.util.List;
import org.metaopt.stream.wire.EvaluationRecord.Paired;

/**
 * A paired comparison of two optimizer versions on one fixed evaluation set (the same tasks, the same evaluation
 * seeds, so the same problem instances and minibatch orders): the mean over task × seed pairs of
 * {@code ln(candidate's final train loss / reference's)}, with a 95% Student-t interval. Below 0 the candidate
 * reached lower losses; an interval whose upper end is below 0 says it is better beyond the seed-to-seed noise.
 *
 * <p>Choices (docs/results.md "Online learning"): each pair's log ratio is clipped to ±{@link #CLIP} (a factor of
 * 1,000) so that one near-zero loss cannot dominate; losses are floored at {@link #LOSS_FLOOR}; a diverged run
 * (+Infinity) against a finite one counts as the clip against the side that diverged, and two diverged runs as 0.
 * The pairs are treated as exchangeable (tasks × seeds pooled), which is what the interval assumes. The result is the
 * evaluation record's {@link Paired} (mean NaN without pairs, interval NaN with fewer than 2). Stateless.
 */
public final class PairedComparison {
  /** The largest |log ratio| a pair contributes: ln 1000. */
  public static final double CLIP = Math.log(1000);
  /** Losses below this count as this (quadratics reach 1e-21). */
  public static final double LOSS_FLOOR = 1e-30;

  private PairedComparison() {}

  /**
   * Compares the learned optimizer's per-seed final train losses of {@code candidate} with {@code reference}, task by
   * task and seed by seed; tasks or seeds missing on either side are skipped.
   */
  public static Paired of(long referenceVersion, List<TaskScore> reference, List<TaskScore> candidate) {
    List<Double> d = new ArrayList<>();
    for (TaskScore c : candidate) {
      if (!c.optimizer().equals(EvaluationSummary.LEARNED)) {
        continue;
      }
      for (TaskScore r : reference) {
        if (r.optimizer().equals(EvaluationSummary.LEARNED) && r.task().equals(c.task())) {
          int n = Math.min(r.seedTrainLosses().length, c.seedTrainLosses().length);
          for (int i = 0; i < n; i++) {
            d.add(logRatio(r.seedTrainLosses()[i], c.seedTrainLosses()[i]));
          }
        }
      }
    }
    return ofDifferences(referenceVersion, d);
  }

  /** One pair's clipped log ratio {@code ln(candidate / reference)}. */
  static double logRatio(double reference, double candidate) {
    boolean rd = !(reference < Double.POSITIVE_INFINITY);
    boolean cd = !(candidate < Double.POSITIVE_INFINITY);
    if (rd || cd) {
      return rd && cd ? 0 : cd ? CLIP : -CLIP;
    }
    double v = Math.log(Math.max(candidate, LOSS_FLOOR) / Math.max(reference, LOSS_FLOOR));
    return Math.max(-CLIP, Math.min(CLIP, v));
  }

  static Paired ofDifferences(long referenceVersion, List<Double> d) {
    int n = d.size();
    if (n == 0) {
      return new Paired(referenceVersion, Double.NaN, Double.NaN, Double.NaN, 0);
    }
    double mean = d.stream().mapToDouble(Double::doubleValue).sum() / n;
    if (n < 2) {
      return new Paired(referenceVersion, mean, Double.NaN, Double.NaN, 1);
    }
    double ss = 0;
    for (double x : d) {
      ss += (x - mean) * (x - mean);
    }
    double half = studentT975(n - 1) * Math.sqrt(ss / (n - 1) / n);
    return new Paired(referenceVersion, mean, mean - half, mean + half, n);
  }

  private static final double[] T975 = {12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
      2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060,
      2.056, 2.052, 2.048, 2.045, 2.042};

  /** The 97.5% quantile of Student's t with {@code df} degrees of freedom (table to 30, then Cornish–Fisher). */
  public static double studentT975(int df) {
    if (df <= T975.length) {
      return T975[df - 1];
    }
    double z = 1.959964;
    return z + (z * z * z + z) / (4.0 * df) + (5 * Math.pow(z, 5) + 16 * z * z * z + 3 * z) / (96.0 * df * df);
  }
}
