package org.metaopt.core.lopt;

import java.util.List;
import java.util.Locale;
import java.util.Map;
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

  /** hierarchical-rnn's sizes are fixed (seed 3's); its recorded hyperparameters are accepted back unchanged. */
  private static LearnedOptimizer hierarchical(Map<String, Object> h) {
    HierarchicalRnnOptimizer arch = new HierarchicalRnnOptimizer();
    Map<String, Object> fixed = arch.hyperparameters();
    for (Map.Entry<String, Object> e : h.entrySet()) {
      if (!fixed.containsKey(e.getKey())) {
        throw new IllegalArgumentException("unknown hyperparameter '" + e.getKey() + "'; hierarchical-rnn has "
            + fixed.keySet() + ", all fixed");
      }
      if (!String.valueOf(fixed.get(e.getKey())).equals(String.valueOf(e.getValue()))) {
        throw new IllegalArgumentException(e.getKey() + " = " + e.getValue() + " is fixed at "
            + fixed.get(e.getKey()) + " for hierarchical-rnn");
      }
    }
    return arch;
  }
}
