package org.metaopt.core.tuning;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.metaopt.core.optim.BaselineOptimizers;
import org.metaopt.core.spec.SpecHash;
import org.metaopt.core.spec.TaskSpec;
import org.metaopt.core.task.Task;
import org.metaopt.core.train.RunResult;
import org.metaopt.core.train.Trainer;

/**
 * Per-task learning-rate tuning of a baseline optimizer: one run per point of a log-spaced grid on the tuning
 * seed, scored by the mean minibatch loss over the last 10% of steps (a diverged run scores +Infinity), the
 * lowest score wins. Results are cached by the spec's hash so the evaluator and later runs reuse them.
 *
 * <p>The tuning seed {@link #TUNING_SEED} is never used as an evaluation seed (those are small integers).
 * Thread-safe if the task supplier is.
 */
public final class LearningRateTuner {
  /** The seed every tuning run uses; evaluation seeds are 0, 1, 2, ... */
  public static final long TUNING_SEED = 0x7475_6E65_5EEDL;

  /** Bumped whenever scoring changes, so old cache entries are not reused. */
  static final int SCHEME = 1;

  private final TuningCache cache;
  private final Trainer trainer = new Trainer();

  /** @param cache where results are kept; null disables caching */
  public LearningRateTuner(TuningCache cache) {
    this.cache = cache;
  }

  /** Progress of a tuning run: called after each grid point. May be null. */
  @FunctionalInterface
  public interface Progress {
    void onTrial(int index, int total, double learningRate, double score);
  }

  /** The cache key for a tuning problem. */
  public static String key(TaskSpec resolved, String optimizer, int steps, double[] grid) {
    StringBuilder sb = new StringBuilder()
        .append(SpecHash.of(resolved)).append('|').append(optimizer).append('|').append(steps)
        .append('|').append(TUNING_SEED).append('|').append(SCHEME);
    for (double g : grid) {
      sb.append('|').append(g);
    }
    return SpecHash.sha256(sb.toString());
  }

  /** The cached result, if any, else runs the grid (in increasing order) and caches it. */
  public TuningResult tune(TaskSpec resolved, Supplier<Task> tasks, String optimizer, int steps, double[] grid,
      Progress progress) {
    String key = key(resolved, optimizer, steps, grid);
    if (cache != null) {
      var hit = cache.get(key);
      if (hit.isPresent()) {
        return hit.get();
      }
    }
    Task task = tasks.get();
    List<Double> lrs = new ArrayList<>();
    List<Double> scores = new ArrayList<>();
    double best = Double.NaN;
    double bestScore = Double.POSITIVE_INFINITY;
    for (int i = 0; i < grid.length; i++) {
      double lr = grid[i];
      RunResult r = trainer.train(task, BaselineOptimizers.create(optimizer, lr, task.layout()), steps, TUNING_SEED,
          null, false);
      double score = r.diverged() ? Double.POSITIVE_INFINITY : r.tailMeanLoss(0.1);
      lrs.add(lr);
      scores.add(score);
      if (score < bestScore) {
        bestScore = score;
        best = lr;
      }
      if (progress != null) {
        progress.onTrial(i, grid.length, lr, score);
      }
    }
    if (Double.isNaN(best)) {
      best = grid[0]; // every point diverged: the smallest rate is the least bad guess
    }
    TuningResult result = new TuningResult(SpecHash.of(resolved), optimizer, steps, TUNING_SEED, lrs, scores, best);
    if (cache != null) {
      cache.put(key, result);
    }
    return result;
  }
}
