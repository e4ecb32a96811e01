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
import org.metaopt.core.train.RunResult;
import org.metaopt.core.train.Trainer;
import org.metaopt.core.tuning.LearningRateTuner;

/**
 * Scores a learned optimizer against baselines at their tuned learning rates on every task of a suite, over
 * evaluation seeds 0..N-1 (never the tuning seed). Single-threaded; tuning results are cached by the tuner.
 */
public final class SuiteEvaluator {
  private final TaskFactory factory;
  private final LearningRateTuner tuner;
  private final FinalFlatness flatness;
  private final Trainer trainer = new Trainer();

  /** Measures flatness at a run's final parameters; NaN when not wanted. */
  @FunctionalInterface
  public interface FinalFlatness {
    double hessianTrace(Task task, float[] params);
  }

  /** Builds the learned optimizer for one run of a task of {@code totalSteps} steps (its progress feature). */
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
    this.factory = factory;
    this.tuner = tuner;
    this.flatness = flatness;
  }

  /**
   * Every task of {@code suite} with the learned optimizer (built per run by {@code learned}, told the task's
   * step count) and each baseline.
   */
  public List<TaskScore> evaluate(SuiteSpec suite, LearnedFactory learned,
      List<String> baselines, int seeds, Progress progress) {
    List<TaskScore> out = new ArrayList<>();
    int total = suite.tasks().size() * (1 + baselines.size());
    int index = 0;
    for (TaskSpec spec : suite.tasks()) {
      out.add(score(spec, "learned", Double.NaN, t -> learned.create(t, spec.steps()), seeds));
      if (progress != null) {
        progress.done(index++, total, out.get(out.size() - 1));
      }
      for (String b : baselines) {
        double lr = tuner.tune(spec, () -> factory.create(spec), b, spec.steps(),
            BaselineOptimizers.defaultLearningRateGrid(b), progress == null ? null
                : (i, n, x, score) -> progress.tuningTrial(spec.name(), b, i, n, x, score)).bestLearningRate();
        out.add(score(spec, b, lr, t -> BaselineOptimizers.create(b, lr, t.layout()), seeds));
        if (progress != null) {
          progress.done(index++, total, out.get(out.size() - 1));
        }
      }
    }
    return out;
  }

  private TaskScore score(TaskSpec spec, String name, double lr, Function<Task, Optimizer> make, int seeds) {
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
    for (int seed = 0; seed < seeds; seed++) {
      Task task = factory.create(spec);
      RunResult r = trainer.train(task, make.apply(task), spec.steps(), seed, null);
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
      trace += flatness != null ? flatness.hessianTrace(task, r.finalParams()) : Double.NaN;
    }
    double n = ok == 0 ? Double.NaN : ok;
    float[] curve = !curves.isEmpty() ? LossCurve.mean(curves) : firstDiverged != null ? firstDiverged : new float[0];
    return new TaskScore(spec.name(), name, lr, train / n, test / n, acc / n, gap / n, trace / n, diverged, seeds,
        curve, stride);
  }

  /** One task with the learned optimizer only (the evaluator service reuses its baseline scores across versions). */
  public TaskScore scoreLearned(TaskSpec spec, Function<Task, Optimizer> learned, int seeds) {
    return score(spec, "learned", Double.NaN, learned, seeds);
  }

  /** One task with baseline {@code name} at its tuned learning rate (tuned on the tuning seed, cached). */
  public TaskScore scoreBaseline(TaskSpec spec, String name, int seeds) {
    double lr = tuner.tune(spec, () -> factory.create(spec), name, spec.steps(),
        BaselineOptimizers.defaultLearningRateGrid(name), null).bestLearningRate();
    return score(spec, name, lr, t -> BaselineOptimizers.create(name, lr, t.layout()), seeds);
  }
}
