package org.metaopt.ops.cli;

import java.util.List;
import org.metaopt.core.version.OptimizerVersion;
import org.metaopt.evaluator.EvaluationSummary;
import org.metaopt.evaluator.TaskScore;

/** Renders an evaluation as a Markdown report. Stateless. */
final class EvaluationMarkdown {
  private EvaluationMarkdown() {}

  static String render(OptimizerVersion v, String suite, int seeds, List<TaskScore> scores, EvaluationSummary s) {
    StringBuilder b = new StringBuilder();
    b.append("# Evaluation of ").append(v.architecture()).append(" version ").append(v.version()).append("\n\n");
    b.append("Suite `").append(suite).append("`, seeds 0..").append(seeds - 1).append(", θ SHA-256 `")
        .append(v.thetaSha256(), 0, 12).append("…`.\n\n");
    b.append(String.format("- win rate vs tuned Adam, final train loss: **%.2f** over %d tasks%n", s.winRateTrainLoss(), s.tasks()));
    b.append(String.format("- win rate vs tuned Adam, test accuracy: **%s**%n", Double.isNaN(s.winRateTestAccuracy())
        ? "n/a" : String.format("%.2f over %d classifiers", s.winRateTestAccuracy(), s.classifierTasks())));
    b.append(String.format("- geometric-mean final train loss ratio learned / Adam: **%.3g**%n%n", s.geometricMeanLossRatio()));
    b.append("| task | optimizer | lr | train loss | test loss | test acc | gap | Hessian trace | diverged |\n");
    b.append("|---|---|---|---|---|---|---|---|---|\n");
    for (TaskScore t : scores) {
      b.append(String.format("| %s | %s | %s | %s | %s | %s | %s | %s | %d/%d |%n", t.task(), t.optimizer(),
          f(t.learningRate()), f(t.trainLoss()), f(t.testLoss()), f(t.testAccuracy()), f(t.generalizationGap()),
          f(t.hessianTrace()), t.diverged(), t.seeds()));
    }
    return b.toString();
  }

  private static String f(double x) {
    return Double.isNaN(x) ? "–" : String.format("%.4g", x);
  }
}
