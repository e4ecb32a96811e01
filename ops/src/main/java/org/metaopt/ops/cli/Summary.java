package org.metaopt.ops.cli;

import java.util.Map;

/** Renders a result map as aligned "key: value" lines for people. Stateless. */
final class Summary {
  private Summary() {}

  static String of(Map<String, Object> fields) {
    int width = fields.keySet().stream().mapToInt(String::length).max().orElse(0);
    StringBuilder sb = new StringBuilder();
    for (var e : fields.entrySet()) {
      Object v = e.getValue();
      if (v == null || e.getKey().startsWith("tuning")) {
        continue;
      }
      String text = v instanceof Double d ? format(d) : String.valueOf(v);
      sb.append(String.format("%-" + width + "s  %s%n", e.getKey(), text));
    }
    return sb.toString().stripTrailing();
  }

  private static String format(double d) {
    if (d == Math.rint(d) && Math.abs(d) < 1e9) {
      return String.valueOf((long) d);
    }
    String s = String.format("%.6g", d);
    if (s.contains("e") || !s.contains(".")) {
      return s;
    }
    s = s.replaceAll("0+$", "");
    return s.endsWith(".") ? s + "0" : s;
  }
}
