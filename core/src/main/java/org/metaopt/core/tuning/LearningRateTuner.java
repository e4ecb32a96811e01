package org.metaopt.core.tuning;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.metaopt.core.optim.BaselineOptimizers;
import org.metaopt.core.spec.SpecHash;
import org.metaopt.core.spec.TaskSpec;
import org.metaopt.core.task.Task;
import org.metaopt.core.train.LossCurve;
import org.metaopt.core.train.Parallel;
import org.metaopt.core.train.RunResult;
import org.metaopt.core.train.Trainer;

/**
 * Per-task learning-rate tuning of a baseline optimizer, as the field tunes the baselines it compares against:
 * every point of a log-spaced grid runs on {@value #TUNING_SEEDS} tuning seeds (each its own problem instance,
 * {@link ProblemInstances#tuning}) and is scored by the mean <em>final full-train-split loss</em> over them; a
 * seed that diverges scores {@code +Infinity}, so a rate that diverges on any seed never wins. When the best point
 * is at an end of the grid, the grid is extended once by one decade past that end ({@link #EXTENSION_POINTS}
 * points) and the result says so ({@link TuningResult#extended()}).
 *
 * <p>Results are cached on disk by a key of the spec's hash, optimizer, steps, grid and scoring scheme, and in
 * memory for this tuner's life. Trial runs are independent and run on {@code threads} threads; the result does not
 * depend on their number. Thread-safe if the task function is.
 */
public final class LearningRateTuner {
  /** Tuning seeds per grid point. */
  public static final int TUNING_SEEDS = 2;

  /** Points added past a grid edge, one decade at three per decade. */
  public static final int EXTENSION_POINTS = 3;

  /** The scoring rule, in words; part of every cache key and result. */
  public static final String SCORING = "mean final full-train-split loss over " + TUNING_SEEDS
      + " tuning seeds (fresh problem instances), a diverged seed scores +Infinity; a best point at a grid edge"
      + " extends the grid once by one decade";

  /** Bumped whenever scoring changes, so old cache entries are not reused. */
  static final int SCHEME = 2;

  private final TuningCache cache;
  private final int threads;
  private final Trainer trainer = new Trainer();
  private final ConcurrentHashMap<String, TuningResult> memo = new ConcurrentHashMap<>();

  /** @param cache where results are kept; null disables the disk cache */
  public LearningRateTuner(TuningCache cache) {
    this(cache, 1);
  }

  /**
   * @param cache where results are kept; null disables the disk cache
   * @param threads trial runs at once, {@code >= 1}
   */
  public LearningRateTuner(TuningCache cache, int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads " + threads + " must be >= 1");
    }
    this.cache = cache;
    this.threads = threads;
  }

  /** Progress of a tuning run: called after each grid point (on any thread). May be null. */
  @FunctionalInterface
  public interface Progress {
    void onTrial(int index, int total, double learningRate, double score);
  }

  /** Makes the optimizer under tuning at a learning rate, for a task layout and a run's step count. */
  @FunctionalInterface
  public interface Maker {
    org.metaopt.core.optim.Optimizer create(double learningRate, org.metaopt.core.tensor.ParamLayout layout,
        int totalSteps);
  }

  /** Scores one trial: the final train loss of a run, {@code +Infinity} when it diverged. */
  @FunctionalInterface
  interface Trial {
    RunResult run(double learningRate, int tuningSeed);
  }

  /** The cache key for a tuning problem. */
  public static String key(TaskSpec resolved, String optimizer, int steps, double[] grid) {
    StringBuilder sb = new StringBuilder()
        .append(SpecHash.of(resolved)).append('|').append(optimizer).append('|').append(steps)
        .append('|').append(ProblemInstances.TUNING_RUN_SEED).append('|').append(SCHEME).append('|').append(SCORING);
    for (double g : grid) {
      sb.append('|').append(g);
    }
    return SpecHash.sha256(sb.toString());
  }

  /**
   * The cached result, if any, else runs the grid (extended once at an edge) and caches it.
   *
   * @param tasks builds a task for a resolved spec (a tuning instance of {@code resolved}); called once per trial
   */
  public TuningResult tune(TaskSpec resolved, Function<TaskSpec, Task> tasks, String optimizer, int steps,
      double[] grid, Progress progress) {
    return tune(resolved, tasks, optimizer, (lr, layout, total) -> BaselineOptimizers.create(optimizer, lr, layout,
        total), steps, grid, progress);
  }

  /**
   * As above for any optimizer with a learning rate (a learned optimizer's η): {@code optimizer} names it in the
   * cache key (e.g. a version file's θ hash), {@code maker} builds it.
   */
  public TuningResult tune(TaskSpec resolved, Function<TaskSpec, Task> tasks, String optimizer, Maker maker,
      int steps, double[] grid, Progress progress) {
    String key = key(resolved, optimizer, steps, grid);
    TuningResult known = memo.get(key);
    if (known == null && cache != null) {
      known = cache.get(key).orElse(null);
    }
    if (known == null) {
      known = search(SpecHash.of(resolved), optimizer, steps, grid, (lr, j) -> {
        Task task = tasks.apply(ProblemInstances.tuning(resolved, j));
        return trainer.train(task, maker.create(lr, task.layout(), steps), steps, ProblemInstances.tuningRunSeed(j),
            null, true);
      }, progress);
      if (cache != null) {
        cache.put(key, known);
      }
    }
    memo.put(key, known);
    return known;
  }

  /** The grid search itself (package-private for tests with synthetic landscapes). */
  TuningResult search(String specHash, String optimizer, int steps, double[] grid, Trial trial, Progress progress) {
    int stride = LossCurve.stride(steps);
    double[] all = grid.clone();
    Arrays.sort(all);
    Point[] points = run(all, trial, steps, stride, progress);
    int best = argmin(points);
    boolean extended = false;
    if (best == 0 || best == points.length - 1) {
      double[] more = extension(all, best == 0);
      Point[] extra = run(more, trial, steps, stride, progress);
      extended = true;
      Point[] merged = new Point[points.length + extra.length];
      if (best == 0) {
        System.arraycopy(extra, 0, merged, 0, extra.length);
        System.arraycopy(points, 0, merged, extra.length, points.length);
      } else {
        System.arraycopy(points, 0, merged, 0, points.length);
        System.arraycopy(extra, 0, merged, points.length, extra.length);
      }
      points = merged;
      best = argmin(points);
    }
    List<Double> lrs = new ArrayList<>();
    List<Double> scores = new ArrayList<>();
    List<float[]> curves = new ArrayList<>();
    for (Point p : points) {
      lrs.add(p.lr);
      scores.add(p.score);
      curves.add(p.curve);
    }
    return new TuningResult(specHash, optimizer, steps, SCORING, lrs, scores, points[best].lr, extended, curves,
        stride);
  }

  /** One decade past the lower ({@code below}) or upper end of an increasing grid, increasing. */
  static double[] extension(double[] grid, boolean below) {
    double[] out = new double[EXTENSION_POINTS];
    for (int k = 1; k <= EXTENSION_POINTS; k++) {
      double factor = Math.pow(10, (double) k / EXTENSION_POINTS);
      if (below) {
        out[EXTENSION_POINTS - k] = grid[0] / factor;
      } else {
        out[k - 1] = grid[grid.length - 1] * factor;
      }
    }
    return out;
  }

  /** The lowest score's index; the smallest rate when every point diverged (the least bad guess). */
  private static int argmin(Point[] points) {
    int best = 0;
    for (int i = 1; i < points.length; i++) {
      if (points[i].score < points[best].score) {
        best = i;
      }
    }
    return best;
  }

  private record Point(double lr, double score, float[] curve) {}

  private Point[] run(double[] lrs, Trial trial, int steps, int stride, Progress progress) {
    int jobs = lrs.length * TUNING_SEEDS;
    RunResult[] results = new RunResult[jobs];
    Parallel.forEach(jobs, threads, k -> results[k] = trial.run(lrs[k / TUNING_SEEDS], k % TUNING_SEEDS));
    Point[] points = new Point[lrs.length];
    int points0 = curveLength(steps, stride);
    for (int i = 0; i < lrs.length; i++) {
      double sum = 0;
      float[] curve = new float[points0];
      for (int j = 0; j < TUNING_SEEDS; j++) {
        RunResult r = results[i * TUNING_SEEDS + j];
        sum += r.diverged() ? Double.POSITIVE_INFINITY : r.train().loss();
        float[] c = LossCurve.downsample(r.minibatchLosses(), r.stepsCompleted(), stride);
        for (int p = 0; p < points0; p++) {
          curve[p] += (p < c.length && (r.stepsCompleted() == steps || p < c.length - 1) ? c[p]
              : Float.POSITIVE_INFINITY) / TUNING_SEEDS;
        }
      }
      double score = sum / TUNING_SEEDS;
      points[i] = new Point(lrs[i], Double.isNaN(score) ? Double.POSITIVE_INFINITY : score, curve);
      if (progress != null) {
        progress.onTrial(i, lrs.length, lrs[i], points[i].score);
      }
    }
    return points;
  }

  private static int curveLength(int steps, int stride) {
    return (steps + stride - 1) / stride;
  }
}
