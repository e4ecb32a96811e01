package org.metaopt.ops.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.metaopt.evaluator.EvaluationSummary;
import org.metaopt.evaluator.TaskScore;

/**
 * The HTML report of {@code metaopt evaluate}: the summary against tuned Adam, per task the training-loss curves of
 * the learned optimizer and of every baseline at its tuned learning rate, the per-task table, and the final Hessian
 * trace (flatness) per task and optimizer as a bar chart. Stateless.
 */
public final class EvaluationReport {
  private EvaluationReport() {}

  /**
   * Builds the report.
   *
   * @param title page title
   * @param provenance what was evaluated (optimizer file, architecture, version, suite, seeds, ...), shown as is
   * @param scores the evaluator's per-(task, optimizer) scores, in the evaluator's order
   * @param summary the summary of {@code scores}
   */
  public static HtmlReport build(String title, Map<String, String> provenance, List<TaskScore> scores,
      EvaluationSummary summary) {
    HtmlReport r = new HtmlReport(title);
    r.keyValues(provenance);

    r.section("Summary");
    r.paragraph(String.format("On %d tasks the learned optimizer reached a final train loss at least 1%% lower than "
        + "the best tuned baseline on %s of them, than tuned adam-cosine on %s and than tuned constant-rate Adam on "
        + "%s%s; its median speedup over the tuned-Adam envelope is %s; the geometric mean of learned / Adam final "
        + "train loss is %s (below 1 is better). A diverged seed counts as a loss.",
        summary.tasks(), percent(summary.winRateVsBest()), percent(summary.winRateVsAdamCosine()),
        percent(summary.winRateTrainLoss()),
        summary.classifierTasks() == 0 ? "" : String.format(" and a higher test accuracy than Adam on %s of %d classifiers",
            percent(summary.winRateTestAccuracy()), summary.classifierTasks()),
        num(summary.medianSpeedupVsAdam()), num(summary.geometricMeanLossRatio())));
    r.table(List.of("tasks", "win rate vs best baseline", "vs adam-cosine", "vs adam", "median speedup vs Adam",
        "classifier tasks", "win rate (test accuracy)", "geometric-mean loss ratio"),
        List.of(List.of(Integer.toString(summary.tasks()), percent(summary.winRateVsBest()),
        percent(summary.winRateVsAdamCosine()), percent(summary.winRateTrainLoss()),
        num(summary.medianSpeedupVsAdam()), Integer.toString(summary.classifierTasks()),
        percent(summary.winRateTestAccuracy()), num(summary.geometricMeanLossRatio()))));

    List<String> tasks = scores.stream().map(TaskScore::task).distinct().toList();
    List<String> optimizers = scores.stream().map(TaskScore::optimizer).distinct().toList();

    r.section("Training loss per task");
    r.paragraph("Minibatch training loss against optimizer steps, averaged over the evaluation seeds that did not "
        + "diverge (and over blocks of steps on long runs); baselines at their tuned learning rates.");
    for (String task : tasks) {
      List<Series> series = new ArrayList<>();
      boolean positive = true;
      for (TaskScore s : scores) {
        if (!s.task().equals(task)) {
          continue;
        }
        series.add(curve(s));
        for (float v : s.lossCurve()) {
          positive &= !(v <= 0);
        }
      }
      r.figure(Plots.line("Task " + task + ": training loss", "step", "minibatch loss", series, positive));
    }

    r.section("Per-task results");
    List<List<String>> rows = new ArrayList<>();
    for (TaskScore s : scores) {
      rows.add(List.of(s.task(), s.optimizer(), num(s.learningRate()), num(s.trainLoss()), num(s.testLoss()),
          num(s.testAccuracy()), num(s.generalizationGap()), num(s.hessianTrace()), s.diverged() + "/" + s.seeds()));
    }
    r.table(List.of("task", "optimizer", "tuned lr", "train loss", "test loss", "test accuracy", "gap",
        "Hessian trace", "diverged"), rows);

    r.section("Flatness of the final solutions");
    r.paragraph("Hutchinson estimate of the trace of the minibatch Hessian at the final parameters, averaged over "
        + "seeds (lower is flatter). Tasks differ in scale; compare the bars within a task.");
    List<double[]> traces = new ArrayList<>();
    for (String o : optimizers) {
      double[] v = new double[tasks.size()];
      for (int i = 0; i < tasks.size(); i++) {
        v[i] = Double.NaN;
        for (TaskScore s : scores) {
          if (s.task().equals(tasks.get(i)) && s.optimizer().equals(o)) {
            v[i] = s.hessianTrace();
          }
        }
      }
      traces.add(v);
    }
    r.figure(Plots.bars("Final Hessian trace per task", "Hessian trace", tasks, optimizers, traces));
    return r;
  }

  /** The provenance rows the CLI shows, in order. */
  public static Map<String, String> provenance(String optimizerFile, String architecture, long version,
      String thetaSha256, String suite, int seeds, List<String> baselines) {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("optimizer file", optimizerFile);
    p.put("architecture", architecture);
    p.put("version", Long.toString(version));
    p.put("theta sha256", thetaSha256);
    p.put("suite", suite);
    p.put("evaluation seeds", "0.." + (seeds - 1));
    p.put("baselines", String.join(", ", baselines));
    return p;
  }

  private static Series curve(TaskScore s) {
    float[] c = s.lossCurve();
    double[] x = new double[c.length];
    double[] y = new double[c.length];
    int stride = Math.max(1, s.lossCurveStride());
    for (int i = 0; i < c.length; i++) {
      x[i] = (double) i * stride;
      y[i] = c[i];
    }
    String name = s.optimizer().equals("learned") ? "learned"
        : s.optimizer() + " (lr " + num(s.learningRate()) + ")";
    if (s.diverged() == s.seeds() && s.seeds() > 0) {
      name += ", diverged";
    }
    return new Series(name, x, y);
  }

  static String num(double v) {
    if (Double.isNaN(v)) {
      return "n/a";
    }
    if (v == 0 || (Math.abs(v) >= 1e-3 && Math.abs(v) < 1e5)) {
      return String.format("%.4g", v);
    }
    return String.format("%.3e", v);
  }

  static String percent(double v) {
    return Double.isNaN(v) ? "n/a" : String.format("%.0f%%", 100 * v);
  }
}
