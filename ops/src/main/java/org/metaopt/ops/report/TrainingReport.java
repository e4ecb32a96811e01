package org.metaopt.ops.report;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToDoubleFunction;
import org.metaopt.core.version.OptimizerVersion;
import org.metaopt.core.version.VersionFiles;

/**
 * The HTML report of a meta-training run (offline {@code train} or the streaming {@code demo}): meta-loss over
 * versions with its moving average, meta-gradient norm, held-out score when measured, segments and dropped
 * windows, and every other recorded numeric term (flatness and objective terms) over versions. Stateless.
 *
 * <p>Typical use: {@code TrainingReport.write(runDir)} after a run that wrote {@code runDir/metrics.jsonl} (and
 * {@code runDir/final.json}); or {@code TrainingReport.write(runDir, title, provenance, points)} with points
 * collected in memory.
 */
public final class TrainingReport {
  /** The report's file name inside a run folder. */
  public static final String FILE = "report.html";
  /** Per-window counters, plotted together rather than as terms. */
  private static final List<String> COUNTERS = List.of("segments", "droppedStale", "droppedNonFinite",
      "flatnessCapped");
  /** The most extra terms drawn (one figure each). */
  private static final int MAX_TERM_FIGURES = 12;

  private TrainingReport() {}

  /**
   * Reads {@code runDir/metrics.jsonl} and, when present, {@code runDir/final.json} for the provenance, and writes
   * {@code runDir/report.html}.
   *
   * @throws org.metaopt.core.UserError when the metrics file is missing or malformed, or final.json is corrupt
   */
  public static Path write(Path runDir) {
    List<MetricsPoint> points = MetricsPoint.read(runDir.resolve("metrics.jsonl"));
    Map<String, String> provenance = new LinkedHashMap<>();
    provenance.put("run folder", runDir.toAbsolutePath().normalize().toString());
    String title = "Meta-training run " + runDir.toAbsolutePath().normalize().getFileName();
    Path fin = runDir.resolve("final.json");
    if (Files.exists(fin)) {
      OptimizerVersion v = VersionFiles.read(fin);
      provenance.putAll(provenance(v));
      title = "Meta-training of " + v.architecture() + " (" + runDir.toAbsolutePath().normalize().getFileName()
          + ")";
    }
    return write(runDir, title, provenance, points);
  }

  /** Writes {@code runDir/report.html} from points collected by the caller; returns the file. */
  public static Path write(Path runDir, String title, Map<String, String> provenance, List<MetricsPoint> points) {
    return build(title, provenance, points).write(runDir.resolve(FILE));
  }

  /** The provenance rows of an optimizer version (the run's last). */
  public static Map<String, String> provenance(OptimizerVersion v) {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("architecture", v.architecture());
    p.put("final version", Long.toString(v.version()));
    p.put("theta sha256", v.thetaSha256());
    p.put("meta-parameters", Integer.toString(v.theta().length));
    if (v.provenance() != null) {
      OptimizerVersion.Provenance pr = v.provenance();
      p.put("config hash", String.valueOf(pr.configHash()));
      p.put("estimator", String.valueOf(pr.estimator()));
      p.put("objective weights", String.valueOf(pr.objectiveWeights()));
      p.put("training tasks", String.valueOf(pr.trainingTasks()));
      p.put("seed", Long.toString(pr.seed()));
      p.put("code version", String.valueOf(pr.codeVersion()));
      p.put("created at", String.valueOf(pr.createdAt()));
    }
    return p;
  }

  /** Builds the report from metrics points (in version order). */
  public static HtmlReport build(String title, Map<String, String> provenance, List<MetricsPoint> points) {
    HtmlReport r = new HtmlReport(title);
    r.keyValues(provenance);
    r.section("Summary");
    if (points.isEmpty()) {
      r.paragraph("No version was published yet: the metrics log is empty.");
      return r;
    }
    r.table(List.of("versions", "last version", "seconds", "last meta-loss", "mean meta-loss (last 10%)",
        "best held-out score"), List.of(List.of(Integer.toString(points.size()),
        Long.toString(points.get(points.size() - 1).version()), fmt(points.get(points.size() - 1).seconds()),
        fmt(points.get(points.size() - 1).metaLoss()), fmt(tailMean(points)), bestHeldOut(points))));

    r.section("Meta-training");
    Series loss = series("meta-loss", points, MetricsPoint::metaLoss);
    int window = Math.min(25, Math.max(2, points.size() / 10));
    r.figure(Plots.line("Meta-loss over versions", "version", "meta-loss",
        List.of(loss, loss.movingAverage("moving average (" + window + ")", window)), false));
    r.figure(Plots.line("Meta-gradient norm over versions", "version", "norm (before clipping)",
        List.of(series("meta-gradient norm", points, MetricsPoint::gradientNorm)), true));
    if (points.stream().anyMatch(p -> !Double.isNaN(p.heldOutScore()))) {
      r.paragraph("Held-out score: mean over the held-out tasks of log(final / initial train loss) with the learned "
          + "optimizer (lower is better).");
      r.figure(Plots.line("Held-out score over versions", "version", "held-out score",
          List.of(series("held-out score", points, MetricsPoint::heldOutScore)), false));
    }
    List<Series> counters = new ArrayList<>();
    for (String c : COUNTERS) {
      if (points.stream().anyMatch(p -> p.terms().containsKey(c))) {
        counters.add(series(c, points, p -> p.terms().getOrDefault(c, Double.NaN)));
      }
    }
    if (!counters.isEmpty()) {
      r.figure(Plots.line("Segments per window, dropped segments (cumulative), capped flatness terms", "version",
          "count", counters, false));
    }

    Set<String> terms = new LinkedHashSet<>();
    points.forEach(p -> p.terms().keySet().stream().filter(k -> !COUNTERS.contains(k)).forEach(terms::add));
    if (!terms.isEmpty()) {
      r.section("Flatness and objective terms");
      r.paragraph("Every other numeric field of metrics.jsonl over versions (flatness measures such as the Hessian "
          + "trace and local entropy when the meta-objective records them).");
      int drawn = 0;
      for (String t : terms) {
        if (drawn++ == MAX_TERM_FIGURES) {
          r.paragraph("More terms were recorded than drawn: " + String.join(", ", terms));
          break;
        }
        r.figure(Plots.line(t + " over versions", "version", t,
            List.of(series(t, points, p -> p.terms().getOrDefault(t, Double.NaN))), false));
      }
    }
    return r;
  }

  private static Series series(String name, List<MetricsPoint> points, ToDoubleFunction<MetricsPoint> f) {
    double[] x = new double[points.size()];
    double[] y = new double[points.size()];
    for (int i = 0; i < x.length; i++) {
      x[i] = points.get(i).version();
      y[i] = f.applyAsDouble(points.get(i));
    }
    return new Series(name, x, y);
  }

  private static double tailMean(List<MetricsPoint> points) {
    int k = Math.max(1, points.size() / 10);
    double s = 0;
    int n = 0;
    for (int i = points.size() - k; i < points.size(); i++) {
      if (Double.isFinite(points.get(i).metaLoss())) {
        s += points.get(i).metaLoss();
        n++;
      }
    }
    return n == 0 ? Double.NaN : s / n;
  }

  private static String bestHeldOut(List<MetricsPoint> points) {
    MetricsPoint best = null;
    for (MetricsPoint p : points) {
      if (Double.isFinite(p.heldOutScore()) && (best == null || p.heldOutScore() < best.heldOutScore())) {
        best = p;
      }
    }
    return best == null ? "not measured" : fmt(best.heldOutScore()) + " (version " + best.version() + ")";
  }

  private static String fmt(double v) {
    return EvaluationReport.num(v);
  }
}
