package org.metaopt.core.lopt.registry;

import org.metaopt.core.lopt.L2oDm;
import org.metaopt.core.lopt.MlpLopt;
import org.metaopt.core.lopt.RnnProp;
import org.metaopt.core.lopt.Hyper;
import org.metaopt.core.lopt.LearnedOptimizer;
import org.metaopt.core.lopt.StepSizeLopt;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.metaopt.core.UserError;
import org.metaopt.core.lopt.celo2.Celo2;
import org.metaopt.core.lopt.hrnn.HierarchicalRnnOptimizer;

/**
 * The registry of learned-optimizer architectures by name: {@code step-size}, {@code mlp-lopt}, {@code l2o-dm},
 * {@code rnnprop}, {@code hierarchical-rnn}, {@code celo2}.
 *
 * <p>Stateless and thread-safe; every {@link #create} returns a new, immutable architecture.
 */
public final class LearnedOptimizers {
  private static final List<String> ARCHITECTURES =
      List.of(StepSizeLopt.ARCHITECTURE, MlpLopt.ARCHITECTURE, L2oDm.ARCHITECTURE, RnnProp.ARCHITECTURE,
          HierarchicalRnnOptimizer.ARCHITECTURE, Celo2.ARCHITECTURE);

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
        case Celo2.ARCHITECTURE -> Celo2.fromHyperparameters(h);
        default -> throw new UserError("unknown learned-optimizer architecture '" + architecture + "'; known: "
            + String.join(", ", ARCHITECTURES));
      };
    } catch (IllegalArgumentException e) {
      throw new UserError("bad hyperparameters for learned optimizer '" + key + "': " + e.getMessage(), e);
    }
  }

  /** hierarchical-rnn's settable hyperparameters; the others it records (seed 3's fixed sizes) are only accepted back. */
  private static final Set<String> HRNN_SETTABLE = Set.of("paramUnits", "tensorUnits", "globalUnits", "attention",
      "fanInBase");

  /**
   * hierarchical-rnn: {@code paramUnits}, {@code tensorUnits}, {@code globalUnits}, {@code attention},
   * {@code fanInBase}; the fixed
   * ones it records in {@link LearnedOptimizer#hyperparameters()} are accepted when they equal the recorded values.
   */
  private static LearnedOptimizer hierarchical(Map<String, Object> h) {
    String arch = HierarchicalRnnOptimizer.ARCHITECTURE;
    int max = HierarchicalRnnOptimizer.MAX_UNITS;
    HierarchicalRnnOptimizer lo = new HierarchicalRnnOptimizer(
        Hyper.intValue(arch, h, "paramUnits", HierarchicalRnnOptimizer.DEFAULT_PARAM_UNITS, 1, max),
        Hyper.intValue(arch, h, "tensorUnits", HierarchicalRnnOptimizer.DEFAULT_TENSOR_UNITS, 1, max),
        Hyper.intValue(arch, h, "globalUnits", HierarchicalRnnOptimizer.DEFAULT_GLOBAL_UNITS, 1, max),
        Hyper.booleanValue(arch, h, "attention", false),
        h.containsKey("fanInBase") ? Hyper.doubleValue(arch, h, "fanInBase", 0, -1, 1e6) : 0);
    Map<String, Object> recorded = lo.hyperparameters();
    Set<String> known = new java.util.HashSet<>(recorded.keySet());
    known.addAll(HRNN_SETTABLE);
    Hyper.requireKnown(arch, h, known);
    for (Map.Entry<String, Object> e : h.entrySet()) {
      if (HRNN_SETTABLE.contains(e.getKey())) {
        continue;
      }
      double fixed = ((Number) recorded.get(e.getKey())).doubleValue();
      if (Hyper.doubleValue(arch, h, e.getKey(), 0, -Double.MAX_VALUE, Double.MAX_VALUE) != fixed) {
        throw new IllegalArgumentException(e.getKey() + " = " + e.getValue() + " is fixed at " + recorded.get(e.getKey())
            + " for " + arch);
      }
    }
    return lo;
  }

  /**
   * Checks that {@code version} (read from a versions topic or a file) is a θ for {@code arch}, the architecture a
   * config builds: same name, same hyperparameters (compared after both are rebuilt by {@link #create}, so number
   * types do not matter) and θ of the right length.
   *
   * @param source what the version came from, for the message (a topic name)
   * @param config the config that built {@code arch}, for the message
   * @throws UserError naming both sides and how to fix it, when they differ
   */
  public static void requireFits(LearnedOptimizer arch, org.metaopt.core.version.OptimizerVersion version, String source,
      String config) {
    String why = null;
    if (!arch.architecture().equals(version.architecture())) {
      why = "it is " + version.architecture() + ", the config builds " + arch.architecture();
    } else {
      Map<String, Object> theirs;
      try {
        theirs = create(version.architecture(), version.hyperparameters()).hyperparameters();
      } catch (UserError e) {
        theirs = version.hyperparameters();
      }
      if (!theirs.equals(arch.hyperparameters())) {
        why = "its hyperparameters are " + new java.util.TreeMap<>(theirs) + ", the config's are "
            + new java.util.TreeMap<>(arch.hyperparameters());
      } else if (version.theta().length != arch.numMetaParams()) {
        why = "its θ has " + version.theta().length + " values, " + arch.architecture() + " here needs "
            + arch.numMetaParams() + " (written by another code version)";
      }
    }
    if (why != null) {
      throw new UserError("version " + version.version() + " on " + source + " does not fit " + config + ": " + why
          + ". The topics hold another run; start with fresh topics (another --topic-prefix, or for demo a new --out "
          + "directory) or use the config that wrote them");
    }
  }
}
