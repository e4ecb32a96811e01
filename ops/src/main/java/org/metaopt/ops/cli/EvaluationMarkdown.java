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
    b.append("Suite `").append(suite).append("`, evaluation seeds 0..").append(seeds - 1)
        .append(" (each a fresh problem instance), θ SHA-256 `").append(v.thetaSha256(), 0, 12).append("…`.\n")
        .append("A win needs a mean final train loss ≥ 1% lower; a diverged seed makes that side's mean +∞.\n\n");
    b.append(summaryLines(s)).append('\n');
    b.append("| task | learned | adam | adam-cosine | best baseline | vs adam-cosine | vs best | speedup vs Adam |\n");
    b.append("|---|---|---|---|---|---|---|---|\n");
    for (String task : scores.stream().map(TaskScore::task).distinct().toList()) {
      TaskScore l = find(scores, task, EvaluationSummary.LEARNED);
      TaskScore a = find(scores, task, "adam");
      TaskScore c = find(scores, task, "adam-cosine");
      TaskScore best = EvaluationSummary.bestBaseline(scores, task);
      if (l == null) {
        continue;
      }
      b.append(String.format("| %s | %s | %s | %s | %s | %s | %s | %s |%n", task, f(l.trainLoss()),
          a == null ? "–" : f(a.trainLoss()), c == null ? "–" : f(c.trainLoss()),
          best == null ? "–" : best.optimizer() + " " + f(best.trainLoss()),
          c == null ? "–" : mark(l, c), best == null ? "–" : mark(l, best), f(l.speedupVsAdam())));
    }
    b.append("\n| task | optimizer | lr | train loss | test loss | test acc | gap | Hessian trace | speedup vs Adam "
        + "| diverged |\n");
    b.append("|---|---|---|---|---|---|---|---|---|---|\n");
    for (TaskScore t : scores) {
      b.append(String.format("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %d/%d |%n", t.task(), t.optimizer(),
          f(t.learningRate()), f(t.trainLoss()), f(t.testLoss()), f(t.testAccuracy()), f(t.generalizationGap()),
          f(t.hessianTrace()), f(t.speedupVsAdam()), t.diverged(), t.seeds()));
    }
    return b.toString();
  }

  /** The summary as Markdown list items (also printed by {@code evaluate}). */
  static String summaryLines(EvaluationSummary s) {
    StringBuilder b = new StringBuilder();
    b.append(String.format("- win rate vs the best tuned baseline (final train loss, 1%% margin): **%s** over %d tasks%n",
        rate(s.winRateVsBest()), s.tasks()));
    b.append(String.format("- win rate vs tuned adam-cosine: **%s**; vs tuned constant-rate Adam: **%s**%n",
        rate(s.winRateVsAdamCosine()), rate(s.winRateTrainLoss())));
    b.append(String.format("- median speedup over the tuned-Adam envelope: **%s**%n", f(s.medianSpeedupVsAdam())));
    b.append(String.format("- win rate vs tuned Adam, test accuracy: **%s**%n", Double.isNaN(s.winRateTestAccuracy())
        ? "n/a" : String.format("%.2f over %d classifiers", s.winRateTestAccuracy(), s.classifierTasks())));
    b.append(String.format("- geometric-mean final train loss ratio learned / Adam: **%s**; tasks where the learned"
        + " optimizer diverged on a seed: %d%n", f(s.geometricMeanLossRatio()), s.learnedDivergedTasks()));
    return b.toString();
  }

  private static String mark(TaskScore learned, TaskScore baseline) {
    return EvaluationSummary.wins(learned.trainLoss(), baseline.trainLoss()) ? "win" : "loss";
  }

  private static String rate(double x) {
    return Double.isNaN(x) ? "n/a" : String.format("%.2f", x);
  }

  private static TaskScore find(List<TaskScore> scores, String task, String optimizer) {
    return scores.stream().filter(t -> t.task().equals(task) && t.optimizer().equals(optimizer)).findFirst()
        .orElse(null);
  }

  private static String f(double x) {
    return Double.isNaN(x) ? "–" : Double.isInfinite(x) ? (x > 0 ? "∞" : "−∞") : String.format("%.4g", x);
  }
}
