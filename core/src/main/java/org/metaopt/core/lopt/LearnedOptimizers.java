package org.metaopt.core.lopt;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.metaopt.core.UserError;
import org.metaopt.core.lopt.hrnn.HierarchicalRnnOptimizer;

/**
 * The registry of learned-optimizer architectures by name: {@code step-size}, {@code mlp-lopt}, {@code l2o-dm},
 * {@code rnnprop}, {@code hierarchical-rnn}.
 *
 * <p>Stateless and thread-safe; every {@link #create} returns a new, immutable architecture.
 */
public final class LearnedOptimizers {
  private static final List<String> ARCHITECTURES =
      List.of(StepSizeLopt.ARCHITECTURE, MlpLopt.ARCHITECTURE, L2oDm.ARCHITECTURE, RnnProp.ARCHITECTURE,
          HierarchicalRnnOptimizer.ARCHITECTURE);

  private LearnedOptimizers() {}

  /** The names {@link #create} accepts, in a fixed order. */
  public static List<String> architectures() {
    return ARCHITECTURES;
  }

  /**
   * The architecture {@code architecture} (case-insensitive) with the given hyperparameters; absent ones take
   * their defaults.
   *
   * @throws UserError if the name or a hyperparameter is unknown, or a value is out of range
   */
  public static LearnedOptimizer create(String architecture, Map<String, Object> hyperparameters) {
    String key = architecture == null ? "" : architecture.trim().toLowerCase(Locale.ROOT);
    Map<String, Object> h = hyperparameters == null ? Map.of() : hyperparameters;
    try {
      return switch (key) {
        case StepSizeLopt.ARCHITECTURE -> StepSizeLopt.fromHyperparameters(h);
        case MlpLopt.ARCHITECTURE -> MlpLopt.fromHyperparameters(h);
        case L2oDm.ARCHITECTURE -> L2oDm.fromHyperparameters(h);
        case RnnProp.ARCHITECTURE -> RnnProp.fromHyperparameters(h);
        case HierarchicalRnnOptimizer.ARCHITECTURE -> hierarchical(h);
        default -> throw new UserError("unknown learned-optimizer architecture '" + architecture + "'; known: "
            + String.join(", ", ARCHITECTURES));
      };
    } catch (IllegalArgumentException e) {
      throw new UserError("bad hyperparameters for learned optimizer '" + key + "': " + e.getMessage(), e);
    }
  }

  /** Hyperparameters of hierarchical-rnn that are fixed (seed 3's), accepted back from version files when equal. */
  private static final Map<String, Object> HRNN_FIXED = Map.of("gradientScales", 4, "features", 12, "maxLogLr", 33.0);

  /**
   * hierarchical-rnn: {@code paramUnits} (default 10), {@code tensorUnits} and {@code globalUnits} (20),
   * {@code attention} (false); the fixed ones ({@link #HRNN_FIXED}) are accepted when they match.
   */
  private static LearnedOptimizer hierarchical(Map<String, Object> h) {
    String arch = HierarchicalRnnOptimizer.ARCHITECTURE;
    Set<String> known = new java.util.TreeSet<>(HRNN_FIXED.keySet());
    known.addAll(List.of("paramUnits", "tensorUnits", "globalUnits", "attention"));
    Hyper.requireKnown(arch, h, known);
    for (Map.Entry<String, Object> e : HRNN_FIXED.entrySet()) {
      Object v = h.get(e.getKey());
      if (v != null && Hyper.doubleValue(arch, h, e.getKey(), 0, -1e9, 1e9) != ((Number) e.getValue()).doubleValue()) {
        throw new IllegalArgumentException(e.getKey() + " = " + v + " is fixed at " + e.getValue() + " for " + arch);
      }
    }
    int max = HierarchicalRnnOptimizer.MAX_UNITS;
    return new HierarchicalRnnOptimizer(Hyper.intValue(arch, h, "paramUnits", 10, 1, max),
        Hyper.intValue(arch, h, "tensorUnits", 20, 1, max), Hyper.intValue(arch, h, "globalUnits", 20, 1, max),
        Hyper.booleanValue(arch, h, "attention", false));
  }
}
