package org.metaopt.core.lopt;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.metaopt.core.UserError;

/**
 * Reads architecture hyperparameters from a loosely typed map (parsed YAML/JSON or a version file): numbers or
 * numeric strings, unknown keys rejected with the list of known ones.
 *
 * <p>Stateless and thread-safe.
 */
public final class Hyper {
  private Hyper() {}

  /** Rejects keys outside {@code known}. */
  public static void requireKnown(String arch, Map<String, Object> given, Set<String> known) {
    for (String key : given.keySet()) {
      if (!known.contains(key)) {
        throw new UserError("unknown hyperparameter '" + key + "' for learned optimizer '" + arch
            + "'; known: " + String.join(", ", new TreeSet<>(known)));
      }
    }
  }

  /** An integer in {@code [min, max]}, {@code def} when absent. */
  public static int intValue(String arch, Map<String, Object> h, String key, int def, int min, int max) {
    Object v = h.get(key);
    if (v == null) {
      return def;
    }
    double d = number(arch, key, v);
    if (d != Math.rint(d) || d < min || d > max) {
      throw new UserError("hyperparameter '" + key + "' of learned optimizer '" + arch + "' must be an integer in ["
          + min + ", " + max + "], got " + v);
    }
    return (int) d;
  }

  /** A boolean: {@code true}/{@code false} (any case) or 1/0; {@code def} when absent. */
  public static boolean booleanValue(String arch, Map<String, Object> h, String key, boolean def) {
    Object v = h.get(key);
    if (v == null) {
      return def;
    }
    if (v instanceof Boolean b) {
      return b;
    }
    String t = v.toString().trim();
    if (t.equalsIgnoreCase("true") || t.equals("1") || t.equals("1.0")) {
      return true;
    }
    if (t.equalsIgnoreCase("false") || t.equals("0") || t.equals("0.0")) {
      return false;
    }
    throw new UserError("hyperparameter '" + key + "' of learned optimizer '" + arch + "' must be true or false, got '"
        + v + "'");
  }

  /** A finite number in {@code (minExclusive, max]}, {@code def} when absent. */
  public static double doubleValue(String arch, Map<String, Object> h, String key, double def, double minExclusive,
      double max) {
    Object v = h.get(key);
    if (v == null) {
      return def;
    }
    double d = number(arch, key, v);
    if (!(d > minExclusive && d <= max)) {
      throw new UserError("hyperparameter '" + key + "' of learned optimizer '" + arch + "' must be in ("
          + minExclusive + ", " + max + "], got " + v);
    }
    return d;
  }

  /** Requires θ to have the architecture's length and finite entries. */
  public static void checkTheta(String arch, float[] theta, int expected) {
    if (theta == null || theta.length != expected) {
      throw new IllegalArgumentException("learned optimizer '" + arch + "' needs theta of length " + expected
          + ", got " + (theta == null ? "null" : theta.length));
    }
    for (int i = 0; i < theta.length; i++) {
      if (!Float.isFinite(theta[i])) {
        throw new IllegalArgumentException("learned optimizer '" + arch + "' got non-finite theta[" + i + "] = "
            + theta[i]);
      }
    }
  }

  private static double number(String arch, String key, Object v) {
    if (v instanceof Number n) {
      return n.doubleValue();
    }
    try {
      return Double.parseDouble(v.toString().trim());
    } catch (NumberFormatException e) {
      throw new UserError("hyperparameter '" + key + "' of learned optimizer '" + arch + "' must be a number, got '"
          + v + "'");
    }
  }
}
