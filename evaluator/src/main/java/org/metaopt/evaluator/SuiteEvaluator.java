package org.metaopt.evaluator;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.metaopt.core.optim.BaselineOptimizers;
import org.metaopt.core.optim.Optimizer;
import org.metaopt.core.spec.SuiteSpec;
import org.metaopt.core.spec.TaskFactory;
import org.metaopt.core.spec.TaskSpec;
import org.metaopt.core.task.Task;
import org.metaopt.core.train.LossCurve;
import org.metaopt.core.train.Parallel;
import org.metaopt.core.train.RunResult;
import org.metaopt.core.train.Trainer;
import org.metaopt.core.tuning.LearningRateTuner;
import org.metaopt.core.tuning.ProblemInstances;
import org.metaopt.core.tuning.TuningResult;

/**
 * The one evaluation path (used by {@code evaluate}, the evaluator service and the demo): scores a learned
 * optimizer and baselines at their tuned learning rates on every task of a suite. Evaluation seed {@code i} runs on
 * its own problem instance ({@link ProblemInstances#evaluation}) from run seed {@code i}; tuning runs on other
 * instances and seeds ({@link LearningRateTuner}). Every optimizer, the learned one included, is told the task's
 * step count (its schedule or progress feature). Each score carries its speedup over the tuned-Adam envelope
 * ({@link Speedup}).
 *
 * <p>The seeds of one score run on up to {@code threads} threads; scores do not depend on the thread count. One
 * caller at a time; tuning results are cached by the tuner.
 */
public final class SuiteEvaluator {
  private final TaskFactory factory;
  private final LearningRateTuner tuner;
  private final FinalFlatness flatness;
  private final int threads;
  private final Trainer trainer = new Trainer();
  private BaselineScoreCache scoreCache;

  /** Measures flatness at a run's final parameters; NaN when not wanted. Called from the run's thread. */
  @FunctionalInterface
  public interface FinalFlatness {
    double hessianTrace(Task task, float[] params);
  }

  /** Builds the learned optimizer for one run of a task of {@code totalSteps} steps. Called from any thread. */
  @FunctionalInterface
  public interface LearnedFactory {
    Optimizer create(Task task, int totalSteps);
  }

  /** Progress callback: one call per (task, optimizer) finished. */
  @FunctionalInterface
  public interface Progress {
    void done(int index, int total, TaskScore score);

    /** After each learning-rate trial while tuning a baseline (not called when the tuning was cached). */
    default void tuningTrial(String task, String optimizer, int trial, int trials, double lr, double score) {}
  }

  public SuiteEvaluator(TaskFactory factory, LearningRateTuner tuner, FinalFlatness flatness) {
    this(factory, tuner, flatness, 1);
  }

  /** @param threads evaluation seeds run at once, {@code >= 1} */
  public SuiteEvaluator(TaskFactory factory, LearningRateTuner tuner, FinalFlatness flatness, int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads " + threads + " must be >= 1");
    }
    this.factory = factory;
    this.tuner = tuner;
    this.flatness = flatness;
    this.threads = threads;
  }

  /** Keeps baseline scores in {@code cache} (null: off), so later evaluations of the same suite reuse them. */
  public SuiteEvaluator baselineScores(BaselineScoreCache cache) {
    this.scoreCache = cache;
    return this;
  }

  /** Every task of {@code suite} with the learned optimizer and each baseline, learned first per task. */
  public List<TaskScore> evaluate(SuiteSpec suite, LearnedFactory learned, List<String> baselines, int seeds,
      Progress progress) {
    List<TaskScore> out = new ArrayList<>();
    int total = suite.tasks().size() * (1 + baselines.size());
    int index = 0;
    for (TaskSpec spec : suite.tasks()) {
      out.add(scoreLearned(spec, learned, seeds, progress));
      if (progress != null) {
        progress.done(index++, total, out.get(out.size() - 1));
      }
      for (String b : baselines) {
        out.add(scoreBaseline(spec, b, seeds, progress));
        if (progress != null) {
          progress.done(index++, total, out.get(out.size() - 1));
        }
      }
    }
    return out;
  }

  /** One task with the learned optimizer only (the evaluator service reuses its baseline scores across versions). */
  public TaskScore scoreLearned(TaskSpec spec, LearnedFactory learned, int seeds) {
    return scoreLearned(spec, learned, seeds, null);
  }

  private TaskScore scoreLearned(TaskSpec spec, LearnedFactory learned, int seeds, Progress progress) {
    TaskScore s = score(spec, EvaluationSummary.LEARNED, Double.NaN, t -> learned.create(t, spec.steps()), seeds);
    return withSpeedup(spec, s, progress);
  }

  /** One task with baseline {@code name} at its tuned learning rate (tuned on the tuning seeds, cached). */
  public TaskScore scoreBaseline(TaskSpec spec, String name, int seeds) {
    return scoreBaseline(spec, name, seeds, null);
  }

  private TaskScore scoreBaseline(TaskSpec spec, String name, int seeds, Progress progress) {
    double lr = tuning(spec, name, progress).bestLearningRate();
    String key = BaselineScoreCache.key(spec, name, lr, seeds, flatness != null);
    if (scoreCache != null) {
      var hit = scoreCache.get(key);
      if (hit.isPresent()) {
        return hit.get();
      }
    }
    TaskScore s = score(spec, name, lr, t -> BaselineOptimizers.create(name, lr, t.layout(), spec.steps()), seeds);
    s = withSpeedup(spec, s, progress);
    if (scoreCache != null) {
      scoreCache.put(key, s);
    }
    return s;
  }

  /** The tuning of baseline {@code name} on {@code spec} (cached). */
  public TuningResult tuning(TaskSpec spec, String name, Progress progress) {
    return tuner.tune(spec, factory::create, name, spec.steps(), BaselineOptimizers.defaultLearningRateGrid(name),
        progress == null ? null : (i, n, x, score) -> progress.tuningTrial(spec.name(), name, i, n, x, score));
  }

  private TaskScore withSpeedup(TaskSpec spec, TaskScore s, Progress progress) {
    TuningResult adam = tuning(spec, "adam", progress);
    double[] envelope = Speedup.envelope(adam.curves(), adam.curveStride());
    boolean anyDiverged = s.diverged() > 0;
    return s.withSpeedup(adam.curveStride() != s.lossCurveStride() ? Double.NaN
        : Speedup.of(envelope, s.lossCurve(), s.lossCurveStride(), spec.steps(), anyDiverged));
  }

  /** One seed's outcome. */
  private record SeedRun(RunResult run, double trace) {}

  /** Evaluation seed {@code i}'s run: its fresh problem instance (the task) and the training run on it. */
  public record EvaluationRun(Task task, RunResult run) {}

  /**
   * Evaluation seed {@code i} of {@code spec} with the optimizer {@code make} builds: the run every score is made of
   * (its problem instance and run seed from {@link ProblemInstances}). Thread-safe.
   */
  public EvaluationRun evaluationRun(TaskSpec spec, Function<Task, Optimizer> make, int i) {
    Task task = factory.create(ProblemInstances.evaluation(spec, i));
    return new EvaluationRun(task,
        trainer.train(task, make.apply(task), spec.steps(), ProblemInstances.evaluationRunSeed(i), null));
  }

  private TaskScore score(TaskSpec spec, String name, double lr, Function<Task, Optimizer> make, int seeds) {
    SeedRun[] runs = new SeedRun[seeds];
    Parallel.forEach(seeds, threads, i -> {
      EvaluationRun e = evaluationRun(spec, make, i);
      RunResult r = e.run();
      double trace = r.diverged() || flatness == null ? Double.NaN : flatness.hessianTrace(e.task(), r.finalParams());
      runs[i] = new SeedRun(r, trace);
    });
    double train = 0;
    double test = 0;
    double acc = 0;
    double gap = 0;
    double trace = 0;
    int ok = 0;
    int diverged = 0;
    int stride = LossCurve.stride(spec.steps());
    List<float[]> curves = new ArrayList<>();
    float[] firstDiverged = null;
    double[] seedLosses = new double[seeds];
    for (int i = 0; i < seeds; i++) {
      SeedRun s = runs[i];
      RunResult r = s.run();
      seedLosses[i] = r.diverged() ? Double.POSITIVE_INFINITY : r.train().loss();
      if (r.diverged()) {
        diverged++;
        if (firstDiverged == null) {
          firstDiverged = LossCurve.downsample(r.minibatchLosses(), r.stepsCompleted(), stride);
        }
        continue;
      }
      curves.add(LossCurve.downsample(r.minibatchLosses(), r.stepsCompleted(), stride));
      ok++;
      train += r.train().loss();
      if (r.test() != null) {
        test += r.test().loss();
        gap += r.test().loss() - r.train().loss();
        acc += r.test().hasAccuracy() ? r.test().accuracy() : Double.NaN;
      } else {
        test = gap = acc = Double.NaN;
      }
      trace += s.trace();
    }
    double n = ok == 0 ? Double.NaN : ok;
    double meanTrain = diverged > 0 ? Double.POSITIVE_INFINITY : train / n;
    float[] curve = !curves.isEmpty() ? LossCurve.mean(curves) : firstDiverged != null ? firstDiverged : new float[0];
    return new TaskScore(spec.name(), name, lr, meanTrain, test / n, acc / n, gap / n, trace / n, diverged, seeds,
        curve, stride, Double.NaN, seedLosses);
  }
}
