package org.metaopt.ops.pipeline;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.metaopt.ops.report.Plots;
import org.metaopt.ops.report.Series;
import org.metaopt.stream.wire.EvaluationRecord;

/**
 * The demo summary's verdict on online learning: the first, last and best versions' yardstick figures and the last
 * version against the first, paired on the same held-out tasks and seeds with a 95% interval. Stateless.
 */
final class DemoSummary {
  private DemoSummary() {}

  /** A Markdown table: first, last and best version side by side. */
  static String table(EvaluationRecord first, EvaluationRecord last, EvaluationRecord best) {
    StringBuilder md = new StringBuilder();
    md.append(String.format("%n| | first (v%d) | last (v%d) | best (v%d) |%n|---|---:|---:|---:|%n", first.version(),
        last.version(), best.version()));
    row(md, "win rate vs the best tuned baseline", first.winRateVsBest(), last.winRateVsBest(), best.winRateVsBest());
    row(md, "win rate vs tuned adam-cosine", first.winRateVsAdamCosine(), last.winRateVsAdamCosine(),
        best.winRateVsAdamCosine());
    row(md, "win rate vs tuned Adam, train loss", first.winRateTrainLoss(), last.winRateTrainLoss(),
        best.winRateTrainLoss());
    row(md, "median speedup over tuned Adam", first.medianSpeedupVsAdam(), last.medianSpeedupVsAdam(),
        best.medianSpeedupVsAdam());
    row(md, "geometric-mean loss ratio learned / Adam", first.geometricMeanLossRatio(),
        last.geometricMeanLossRatio(), best.geometricMeanLossRatio());
    md.append(String.format("| vs the first version: mean log loss ratio [95%% interval] | %s | %s | %s |%n",
        interval(first.vsFirst()), interval(last.vsFirst()), interval(best.vsFirst())));
    return md.toString();
  }

  private static void row(StringBuilder md, String name, double a, double b, double c) {
    md.append(String.format("| %s | %.3g | %.3g | %.3g |%n", name, a, b, c));
  }

  private static String interval(EvaluationRecord.Paired p) {
    return p == null ? "–" : String.format("%+.3f [%+.3f, %+.3f]", p.meanLogRatio(), p.low(), p.high());
  }

  /** One sentence: is the last version better than the first, worse, or not distinguishable, with the figures. */
  static String verdict(EvaluationRecord last) {
    EvaluationRecord.Paired p = last.vsFirst();
    if (p == null || p.pairs() < 2 || Double.isNaN(p.low())) {
      return "Last vs first: no paired comparison (fewer than 2 task x seed pairs).";
    }
    String figures = String.format("mean log final-loss ratio %+.4f, 95%% interval [%+.4f, %+.4f], %d task x seed "
        + "pairs (below 0: lower losses than v%d)", p.meanLogRatio(), p.low(), p.high(), p.pairs(),
        p.referenceVersion());
    if (p.better()) {
      return "Last vs first: v" + last.version() + " is better than v" + p.referenceVersion()
          + " beyond the interval — " + figures + ".";
    }
    if (p.worse()) {
      return "Last vs first: v" + last.version() + " is worse than v" + p.referenceVersion()
          + " beyond the interval — " + figures + ".";
    }
    return "Last vs first: v" + last.version() + " is not distinguishable from v" + p.referenceVersion()
        + " (the interval contains 0) — " + figures + ".";
  }

  /** summary.json's view of one evaluation: version, yardstick figures and the paired interval. */
  static Map<String, Object> headline(EvaluationRecord e) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("version", e.version());
    m.put("winRateVsBest", e.winRateVsBest());
    m.put("winRateVsAdamCosine", e.winRateVsAdamCosine());
    m.put("winRateVsAdam", e.winRateTrainLoss());
    m.put("medianSpeedupVsAdam", e.medianSpeedupVsAdam());
    m.put("geometricMeanLossRatio", e.geometricMeanLossRatio());
    m.put("vsFirst", e.vsFirst());
    return m;
  }

  /** The paired comparison with the first version over the scored versions, with its interval as a band. */
  static org.metaopt.ops.report.Figure vsFirstPlot(List<EvaluationRecord> history) {
    List<EvaluationRecord> h = history.stream().filter(e -> e.vsFirst() != null).toList();
    double[] x = h.stream().mapToDouble(EvaluationRecord::version).toArray();
    return Plots.line("Held-out final loss vs the first version (mean log ratio, 95% interval)", "version",
        "ln(loss / first version's) (below 0: better)", List.of(
            new Series("mean", x, h.stream().mapToDouble(e -> e.vsFirst().meanLogRatio()).toArray()),
            new Series("95% low", x, h.stream().mapToDouble(e -> e.vsFirst().low()).toArray()),
            new Series("95% high", x, h.stream().mapToDouble(e -> e.vsFirst().high()).toArray())), false);
  }
}
