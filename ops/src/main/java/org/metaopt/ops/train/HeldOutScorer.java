package org.metaopt.ops.train;

import java.util.List;
import org.metaopt.core.lopt.LearnedOptimizer;
import org.metaopt.core.spec.SuiteSpec;
import org.metaopt.core.spec.TaskFactory;
import org.metaopt.core.spec.TaskSpec;
import org.metaopt.core.task.Task;
import org.metaopt.core.train.RunResult;
import org.metaopt.core.train.Trainer;

/**
 * Scores a θ on a held-out suite during training: the mean over tasks of {@code log(final train loss / initial
 * train loss)} after each task's {@code steps} with the learned optimizer on evaluation seed 0 (lower is better;
 * a diverged run counts as log(1000)). Single-threaded.
 */
final class HeldOutScorer {
  private final List<TaskSpec> specs;
  private final TaskFactory factory;

  HeldOutScorer(SuiteSpec suite, TaskFactory factory) {
    this.specs = suite.tasks();
    this.factory = factory;
  }

  double score(LearnedOptimizer arch, float[] theta) {
    double sum = 0;
    for (TaskSpec spec : specs) {
      Task task = factory.create(spec);
      double initial = task.evaluate(task.initialParams(0), org.metaopt.core.task.Split.TRAIN).loss();
      RunResult r = new Trainer().train(task, arch.create(theta, task.layout(), spec.steps()), spec.steps(), 0, null);
      double fin = r.diverged() ? 1e3 * initial : r.train().loss();
      sum += Math.log(Math.max(fin, 1e-30) / Math.max(initial, 1e-30));
    }
    return sum / specs.size();
  }
}
