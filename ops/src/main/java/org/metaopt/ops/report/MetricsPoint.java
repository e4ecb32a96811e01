package org.metaopt.ops.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.metaopt.core.UserError;

/**
 * One line of a run's {@code metrics.jsonl}: a published version with its meta-loss and meta-gradient norm, the
 * held-out score when it was measured (NaN otherwise), and every other numeric field (flatness terms, objective
 * terms, counters) by name. Immutable.
 *
 * @param version the published version
 * @param seconds seconds since the run started (NaN when not recorded)
 * @param metaLoss the window's meta-loss
 * @param gradientNorm the meta-gradient norm
 * @param heldOutScore the held-out score (lower is better), NaN when not measured at this version
 * @param terms every other numeric field of the line, in file order
 */
public record MetricsPoint(long version, double seconds, double metaLoss, double gradientNorm, double heldOutScore,
    Map<String, Double> terms) {
  private static final ObjectMapper JSON = JsonMapper.builder().build();
  private static final Set<String> KNOWN = Set.of("version", "seconds", "metaLoss", "gradientNorm", "heldOutScore");

  public MetricsPoint {
    terms = Collections.unmodifiableMap(new LinkedHashMap<>(terms));
  }

  /**
   * The one writer of a metrics.jsonl line (train and the demo): version, seconds since the run's start, meta-loss,
   * meta-gradient norm, segments used, stale segments dropped so far, non-finite estimates dropped so far, the
   * window's flatness terms set to their cap and the window's mean of every recorded objective term. Callers may add fields after these (the demo: the consumed offset
   * {@code window}; train: {@code heldOutScore}).
   */
  public static Map<String, Object> line(org.metaopt.core.version.OptimizerVersion v, double seconds,
      org.metaopt.metalearner.MetaLearner.StepReport r, long droppedStale, long droppedNonFinite) {
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("version", v.version());
    line.put("seconds", seconds);
    line.put("metaLoss", r.metaLoss());
    line.put("gradientNorm", r.gradientNorm());
    line.put("segments", r.segments());
    line.put("droppedStale", droppedStale); // cumulative, counting the windows that were all stale
    line.put("droppedNonFinite", droppedNonFinite);
    line.put("flatnessCapped", r.flatnessCapped()); // this window's weighted flatness terms set to their cap
    if (!r.termMeans().isEmpty()) {
      line.put("terms", r.termMeans()); // every recorded objective / flatness term, window mean
    }
    return line;
  }

  /** Parses one JSON line; missing numbers are NaN. */
  public static MetricsPoint parse(String line) throws IOException {
    JsonNode n = JSON.readTree(line);
    if (n == null || !n.isObject() || !n.has("version")) {
      throw new IOException("not a metrics object with a version: " + abbreviate(line));
    }
    Map<String, Double> terms = new LinkedHashMap<>();
    collect("", n, terms);
    return new MetricsPoint(n.get("version").asLong(), num(n, "seconds"), num(n, "metaLoss"),
        num(n, "gradientNorm"), num(n, "heldOutScore"), terms);
  }

  /** Reads a whole {@code metrics.jsonl}; a missing or malformed file is a {@link UserError} naming file and line. */
  public static List<MetricsPoint> read(Path file) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file);
    } catch (NoSuchFileException e) {
      throw new UserError("no metrics file " + file + " (is this a run folder written by 'metaopt train'?)");
    } catch (IOException e) {
      throw new UserError("cannot read " + file + ": " + e.getMessage());
    }
    List<MetricsPoint> out = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).isBlank()) {
        continue;
      }
      try {
        out.add(parse(lines.get(i)));
      } catch (IOException e) {
        throw new UserError(file + " line " + (i + 1) + ": " + firstLine(e.getMessage()));
      }
    }
    return out;
  }

  private static void collect(String prefix, JsonNode n, Map<String, Double> terms) {
    for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String key = prefix + e.getKey();
      if (prefix.isEmpty() && KNOWN.contains(key)) {
        continue;
      }
      if (e.getValue().isNumber()) {
        terms.put(key, e.getValue().asDouble());
      } else if (e.getValue().isObject()) {
        collect(key + ".", e.getValue(), terms);
      }
    }
  }

  private static double num(JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      return Double.NaN;
    }
    if (v.isNumber()) {
      return v.asDouble();
    }
    return v.isTextual() && v.asText().equals("NaN") ? Double.NaN : v.asDouble(Double.NaN);
  }

  private static String firstLine(String s) {
    int nl = s == null ? -1 : s.indexOf('\n');
    return nl < 0 ? String.valueOf(s) : s.substring(0, nl);
  }

  private static String abbreviate(String s) {
    return s.length() > 80 ? s.substring(0, 77) + "..." : s;
  }
}
