package org.metaopt.ops.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.ToDoubleFunction;
import org.metaopt.evaluator.PairedComparison;
import org.metaopt.ops.train.FlatnessAblation.Row;

/**
 * The flatness ablation's table: per arm and task group (clean, label noise), the mean test accuracy, generalization
 * gap (test − train loss), final Hessian trace and top eigenvalue with 95% Student-t intervals over runs × tasks ×
 * seeds, and each arm's paired difference from the {@code none} arm on the same run seed, task and evaluation seed
 * (accuracy and gap as differences, trace and λmax as log ratios where both are positive). A diverged run counts as
 * test accuracy 0 and is listed; it is never dropped. Stateless.
 */
public final class FlatnessAblationSummary {
  private static final ObjectMapper JSON = JsonMapper.builder()
      .enable(com.fasterxml.jackson.core.json.JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();

  private FlatnessAblationSummary() {}

  /** A mean and the half-width of its 95% interval (NaN with fewer than 2 values). */
  public record Interval(double mean, double half, int n) {
    static Interval of(List<Double> xs) {
      List<Double> v = xs.stream().filter(Double::isFinite).toList();
      int n = v.size();
      double mean = v.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
      if (n < 2) {
        return new Interval(mean, Double.NaN, n);
      }
      double ss = v.stream().mapToDouble(x -> (x - mean) * (x - mean)).sum();
      return new Interval(mean, PairedComparison.studentT975(n - 1) * Math.sqrt(ss / (n - 1) / n), n);
    }

    String text(String fmt) {
      return String.format(Locale.ROOT, fmt + " ± " + fmt.replace("+", ""), mean, half);
    }
  }

  /** Appends rows to a JSON-lines file. */
  static void append(Path file, List<Row> rows) {
    StringBuilder sb = new StringBuilder();
    for (Row r : rows) {
      try {
        sb.append(JSON.writeValueAsString(r)).append('\n');
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    try {
      Files.writeString(file, sb, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot append to " + file, e);
    }
  }

  /** The rows of a JSON-lines file written by {@link #append} (none when it does not exist). */
  static List<Row> read(Path file) {
    if (!Files.exists(file)) {
      return List.of();
    }
    try {
      List<Row> out = new ArrayList<>();
      for (String line : Files.readAllLines(file)) {
        if (!line.isBlank()) {
          out.add(JSON.readValue(line, Row.class));
        }
      }
      return out;
    } catch (IOException e) {
      throw new org.metaopt.core.UserError("cannot read " + file + " (" + e.getMessage() + "); delete it to score "
          + "the runs again");
    }
  }

  /** The markdown table of {@code rows}. */
  public static String table(List<Row> rows) {
    StringBuilder sb = new StringBuilder();
    sb.append("| arm | tasks | runs×tasks×seeds | diverged | test accuracy | generalization gap | final Hessian trace "
        + "| final λmax | Δ accuracy vs none | Δ gap vs none | ln(trace / none's) | ln(λmax / none's) |\n");
    sb.append("|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    Map<String, Row> none = new HashMap<>();
    for (Row r : rows) {
      if (r.arm().equals(FlatnessAblation.Arm.NONE.label)) {
        none.put(key(r), r);
      }
    }
    for (FlatnessAblation.Arm arm : FlatnessAblation.Arm.values()) {
      for (boolean noisy : new boolean[] {false, true}) {
        List<Row> group = rows.stream().filter(r -> r.arm().equals(arm.label) && isNoisy(r) == noisy).toList();
        if (group.isEmpty()) {
          continue;
        }
        boolean ref = arm == FlatnessAblation.Arm.NONE;
        sb.append(String.format(Locale.ROOT, "| %s | %s | %d | %d | %s | %s | %s | %s | %s | %s | %s | %s |%n",
            arm.label, noisy ? "label noise" : "clean", group.size(), group.stream().filter(Row::diverged).count(),
            of(group, Row::testAccuracyOrZero).text("%.4f"), of(group, Row::gap).text("%.4f"),
            of(group, Row::hessianTrace).text("%.3g"), of(group, Row::topEigenvalue).text("%.3g"),
            ref ? "–" : paired(group, none, (a, b) -> a.testAccuracyOrZero() - b.testAccuracyOrZero()).text("%+.4f"),
            ref ? "–" : paired(group, none, (a, b) -> a.gap() - b.gap()).text("%+.4f"),
            ref ? "–" : paired(group, none, (a, b) -> logRatio(a.hessianTrace(), b.hessianTrace())).text("%+.3f"),
            ref ? "–" : paired(group, none, (a, b) -> logRatio(a.topEigenvalue(), b.topEigenvalue())).text("%+.3f")));
      }
    }
    return sb.toString();
  }

  private static boolean isNoisy(Row r) {
    return r.task().matches(".*-noise\\d+$");
  }

  private static String key(Row r) {
    return r.run() + "/" + r.task() + "/" + r.seed();
  }

  private static Interval of(List<Row> group, ToDoubleFunction<Row> f) {
    List<Double> v = new ArrayList<>();
    group.forEach(r -> v.add(f.applyAsDouble(r)));
    return Interval.of(v);
  }

  private static Interval paired(List<Row> group, Map<String, Row> none, BiFunction<Row, Row, Double> d) {
    List<Double> v = new ArrayList<>();
    for (Row r : group) {
      Row ref = none.get(key(r));
      if (ref != null) {
        v.add(d.apply(r, ref));
      }
    }
    return Interval.of(v);
  }

  private static double logRatio(double a, double b) {
    return a > 0 && b > 0 ? Math.log(a / b) : Double.NaN;
  }
}
