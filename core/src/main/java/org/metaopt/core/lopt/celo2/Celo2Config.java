package org.metaopt.core.lopt.celo2;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.metaopt.core.UserError;

/**
 * The hyperparameters of the {@code celo2} architecture, as recorded in version files; validated on construction
 * with messages that name the field, the value and the allowed range.
 *
 * <p>Immutable and thread-safe.
 *
 * @param hidden hidden-layer sizes of the per-parameter MLP, 1 to {@value #MAX_LAYERS} layers of
 *     [{@value #MIN_UNITS}, {@value #MAX_UNITS}] units each (the momentum θ0 needs two units per layer)
 * @param lr base learning rate η, in (0, 10]
 * @param weightDecay decoupled weight decay λ ({@code p -= η_t (s + λ p)}), in [0, 10]
 * @param schedule {@link Schedule#COSINE} (warm-up + cosine over {@code totalSteps} when known) or
 *     {@link Schedule#CONSTANT}
 * @param vectorLrMult the vector (bias) branch's learning rate over η, in (0, 1e4]
 * @param ns whether matrices' directions are orthogonalized by Newton–Schulz (false: ablation)
 * @param muScale 0 (off) or μLO's width scaling: hidden matrices' rates are multiplied by {@code muScale / fanIn},
 *     in [0, 1e6]
 * @param init the initial θ: {@link Init#MOMENTUM} (normalized momentum through the network) or {@link Init#RANDOM}
 *     (the authors' plain truncated-normal init)
 */
public record Celo2Config(List<Integer> hidden, double lr, double weightDecay, Schedule schedule, double vectorLrMult,
    boolean ns, double muScale, Init init) {

  /** Smallest hidden layer. */
  public static final int MIN_UNITS = 2;
  /** Largest hidden layer. */
  public static final int MAX_UNITS = 1024;
  /** Most hidden layers. */
  public static final int MAX_LAYERS = 8;

  /** Learning-rate schedule over a run of known length. */
  public enum Schedule {
    /** η_t = η × {@link org.metaopt.core.optim.CosineSchedule#factor} when totalSteps > 0, else η. */
    COSINE,
    /** η_t = η. */
    CONSTANT;

    String key() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** How the initial θ is drawn. */
  public enum Init {
    /** The authors' init plus units 0 and 1 carrying ± the normalized 0.9 momentum to the direction output. */
    MOMENTUM,
    /** The authors' init: truncated normal (±2σ, σ = 1/sqrt(fan_in)), biases 0. */
    RANDOM;

    String key() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  static final String ARCH = "celo2";
  static final Set<String> KEYS = Set.of("hidden", "lr", "weightDecay", "schedule", "vectorLrMult", "ns", "muScale",
      "init");

  public Celo2Config {
    if (hidden == null || hidden.isEmpty() || hidden.size() > MAX_LAYERS) {
      throw bad("hidden", hidden, "a list of 1 to " + MAX_LAYERS + " layer sizes");
    }
    for (Integer h : hidden) {
      if (h == null || h < MIN_UNITS || h > MAX_UNITS) {
        throw bad("hidden", hidden, "layer sizes in [" + MIN_UNITS + ", " + MAX_UNITS + "]");
      }
    }
    hidden = List.copyOf(hidden);
    range("lr", lr, false, 10);
    range("weightDecay", weightDecay, true, 10);
    range("vectorLrMult", vectorLrMult, false, 1e4);
    range("muScale", muScale, true, 1e6);
    if (schedule == null) {
      throw bad("schedule", null, "cosine or constant");
    }
    if (init == null) {
      throw bad("init", null, "momentum or random");
    }
  }

  /**
   * The defaults: hidden [8, 8], η 1e-3, λ 0, cosine, vectors at 20 η, Newton–Schulz on, μ scaling off, momentum θ0.
   */
  public static Celo2Config defaults() {
    return new Celo2Config(List.of(8, 8), 1e-3, 0, Schedule.COSINE, 20, true, 0, Init.MOMENTUM);
  }

  /**
   * From a loosely typed map (parsed YAML/JSON, a version file): numbers or numeric strings, {@code hidden} a list
   * (or one number for a single layer), {@code ns} true/false, {@code schedule} and {@code init} names; absent keys
   * take their defaults.
   *
   * @throws UserError for an unknown key or a value out of range
   */
  public static Celo2Config fromMap(Map<String, Object> h) {
    for (String key : h.keySet()) {
      if (!KEYS.contains(key)) {
        throw new UserError("unknown hyperparameter '" + key + "' for learned optimizer '" + ARCH + "'; known: "
            + String.join(", ", new TreeSet<>(KEYS)));
      }
    }
    Celo2Config d = defaults();
    return new Celo2Config(h.containsKey("hidden") ? hiddenList(h.get("hidden")) : d.hidden,
        number(h, "lr", d.lr), number(h, "weightDecay", d.weightDecay),
        h.containsKey("schedule") ? choice("schedule", h.get("schedule"), Schedule.values()) : d.schedule,
        number(h, "vectorLrMult", d.vectorLrMult), bool(h, "ns", d.ns), number(h, "muScale", d.muScale),
        h.containsKey("init") ? choice("init", h.get("init"), Init.values()) : d.init);
  }

  /** The map {@link #fromMap} reads back to an equal config (as recorded in version files). */
  public Map<String, Object> toMap() {
    return Map.of("hidden", hidden, "lr", lr, "weightDecay", weightDecay, "schedule", schedule.key(),
        "vectorLrMult", vectorLrMult, "ns", ns, "muScale", muScale, "init", init.key());
  }

  private static List<Integer> hiddenList(Object v) {
    List<?> items = v instanceof List<?> l ? l : v instanceof Number ? List.of(v) : null;
    if (items == null && v != null) { // "8, 8" or "[8, 8]"
      String t = v.toString().trim().replace("[", "").replace("]", "");
      items = t.isEmpty() ? List.of() : List.of((Object[]) t.split("\\s*,\\s*"));
    }
    if (items == null) {
      throw bad("hidden", v, "a list of 1 to " + MAX_LAYERS + " layer sizes");
    }
    List<Integer> out = new ArrayList<>();
    for (Object o : items) {
      double d;
      try {
        d = o instanceof Number n ? n.doubleValue() : Double.parseDouble(o.toString().trim());
      } catch (NumberFormatException | NullPointerException e) {
        throw bad("hidden", v, "a list of integer layer sizes in [" + MIN_UNITS + ", " + MAX_UNITS + "]");
      }
      if (d != Math.rint(d) || d < MIN_UNITS || d > MAX_UNITS) {
        throw bad("hidden", v, "a list of integer layer sizes in [" + MIN_UNITS + ", " + MAX_UNITS + "]");
      }
      out.add((int) d);
    }
    return out;
  }

  private static double number(Map<String, Object> h, String key, double def) {
    Object v = h.get(key);
    if (v == null) {
      return def;
    }
    if (v instanceof Number n) {
      return n.doubleValue();
    }
    try {
      return Double.parseDouble(v.toString().trim());
    } catch (NumberFormatException e) {
      throw new UserError("hyperparameter '" + key + "' of learned optimizer '" + ARCH + "' must be a number, got '"
          + v + "'");
    }
  }

  private static boolean bool(Map<String, Object> h, String key, boolean def) {
    return org.metaopt.core.lopt.Hyper.booleanValue(ARCH, h, key, def);
  }

  private static <E extends Enum<E>> E choice(String key, Object v, E[] values) {
    String t = v == null ? "" : v.toString().trim();
    List<String> names = new ArrayList<>();
    for (E e : values) {
      String name = e.name().toLowerCase(Locale.ROOT);
      if (name.equalsIgnoreCase(t)) {
        return e;
      }
      names.add(name);
    }
    throw bad(key, v, "one of " + String.join(", ", names));
  }

  private static void range(String key, double v, boolean zeroAllowed, double max) {
    boolean ok = Double.isFinite(v) && (zeroAllowed ? v >= 0 : v > 0) && v <= max;
    if (!ok) {
      throw bad(key, v, (zeroAllowed ? "[0, " : "(0, ") + max + "]");
    }
  }

  private static UserError bad(String key, Object value, String allowed) {
    return new UserError("hyperparameter '" + key + "' of learned optimizer '" + ARCH + "' must be " + allowed
        + ", got " + value);
  }
}
