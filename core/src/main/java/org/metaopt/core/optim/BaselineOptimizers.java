package org.metaopt.core.optim;

import java.util.List;
import java.util.Locale;
import org.metaopt.core.UserError;
import org.metaopt.core.tensor.ParamLayout;

/**
 * The registry of hand-designed baseline optimizers by name, each at its default hyperparameters apart from
 * the learning rate, with the learning-rate grid to tune it over.
 *
 * <p>Constant-rate baselines: {@code sgd, momentum, nesterov, rmsprop, adam, adamw, lion, muon}. Scheduled
 * baselines, {@code adam-cosine, adamw-cosine, nesterov-cosine}: the constant-rate optimizer wrapped in a
 * {@link ScheduledOptimizer} with a warm-up + cosine {@link CosineSchedule} over the run, which is how the field
 * reports its baselines (RESEARCH.md, "Baselines and metrics"); they need the run's step count
 * ({@link #needsTotalSteps}, {@link #create(String, double, ParamLayout, int)}).
 *
 * <p>Stateless and thread-safe; every {@link #create} returns a new, independent optimizer.
 */
public final class BaselineOptimizers {

  private static final List<String> NAMES = List.of("sgd", "momentum", "nesterov", "rmsprop", "adam", "adamw",
      "lion", "adam-cosine", "adamw-cosine", "nesterov-cosine", "muon");

  /** The suffix of the scheduled names. */
  private static final String COSINE = "-cosine";

  /** Grid points per decade of learning rate. */
  public static final int POINTS_PER_DECADE = 3;

  /** The smallest learning rate of every default grid, as a power of ten. */
  public static final int GRID_MIN_EXPONENT = -5;

  /** The largest learning rate of every default grid, as a power of ten. */
  public static final int GRID_MAX_EXPONENT = 0;

  private BaselineOptimizers() {}

  /** The names {@link #create} accepts, in a fixed order. */
  public static List<String> names() {
    return NAMES;
  }

  /** Whether {@code name} (case-insensitive) names a baseline. */
  public static boolean isKnown(String name) {
    return name != null && NAMES.contains(name.toLowerCase(Locale.ROOT));
  }

  /**
   * Whether {@code name} is scheduled over the run, so that it can only be made with
   * {@link #create(String, double, ParamLayout, int)}.
   *
   * @throws UserError if the name is unknown
   */
  public static boolean needsTotalSteps(String name) {
    return canonical(name).endsWith(COSINE);
  }

  /**
   * A new constant-rate baseline optimizer for parameters laid out as {@code layout}, at its default
   * hyperparameters and the given learning rate.
   *
   * @throws UserError if the name is unknown or scheduled ({@link #needsTotalSteps}), or the learning rate is not
   *     finite and positive
   */
  public static Optimizer create(String name, double learningRate, ParamLayout layout) {
    String key = canonical(name);
    if (key.endsWith(COSINE)) {
      throw new UserError("optimizer '" + key + "' decays its learning rate over the run and needs the run's total "
          + "step count, which this caller does not pass; use '" + key.substring(0, key.length() - COSINE.length())
          + "' for a constant learning rate");
    }
    return create(name, learningRate, layout, 0);
  }

  /**
   * A new baseline optimizer for a run of {@code totalSteps} steps on parameters laid out as {@code layout}, at its
   * default hyperparameters and the given (base, peak) learning rate. Constant-rate names ignore
   * {@code totalSteps}; scheduled ones warm up over the first 5% of it and decay to 0 at its last step.
   *
   * @throws UserError if the name is unknown, the learning rate is not finite and positive, or the name is scheduled
   *     and {@code totalSteps < 1}
   */
  public static Optimizer create(String name, double learningRate, ParamLayout layout, int totalSteps) {
    String key = canonical(name);
    if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
      throw new UserError("learning rate for optimizer '" + key + "' must be finite and > 0, got "
          + learningRate);
    }
    if (key.endsWith(COSINE)) {
      if (totalSteps < 1) {
        throw new UserError("optimizer '" + key + "' needs the run's total step count (>= 1), got " + totalSteps);
      }
      return new ScheduledOptimizer(scalable(key.substring(0, key.length() - COSINE.length()), learningRate, layout),
          new CosineSchedule(totalSteps));
    }
    int n = layout.size();
    return switch (key) {
      case "sgd" -> new Sgd(new Sgd.Config(learningRate), n);
      case "momentum" -> new Momentum(Momentum.Config.defaults(learningRate), n);
      case "rmsprop" -> new RmsProp(RmsProp.Config.defaults(learningRate), n);
      case "lion" -> new Lion(Lion.Config.defaults(learningRate), n);
      default -> scalable(key, learningRate, layout);
    };
  }

  private static LearningRateScaled scalable(String key, double learningRate, ParamLayout layout) {
    int n = layout.size();
    return switch (key) {
      case "nesterov" -> new Nesterov(Nesterov.Config.defaults(learningRate), n);
      case "adam" -> new Adam(Adam.Config.defaults(learningRate), n);
      case "adamw" -> new AdamW(AdamW.Config.defaults(learningRate), n);
      case "muon" -> new Muon(Muon.Config.defaults(learningRate), layout);
      default -> throw new AssertionError(key);
    };
  }

  /**
   * The learning rates to tune {@code name} over: the same grid for every baseline, 1e-5..1 log-spaced at
   * {@value #POINTS_PER_DECADE} points per decade (16 points), ascending, both ends included.
   *
   * <p>One wide grid rather than a range per optimizer: the usual ranges (Adam 1e-4..1e-1, SGD 1e-3..1, Lion and
   * the AdamW branch of Muon a decade or two lower) all fit inside it, so no baseline is handicapped by a guess
   * about where its best rate lies, at the cost of a few wasted points per optimizer. The tuner
   * ({@code org.metaopt.core.tuning}) may extend the grid by its own rule when the best rate sits on an edge.
   *
   * @throws UserError if the name is unknown
   */
  public static double[] defaultLearningRateGrid(String name) {
    canonical(name);
    return logGrid(GRID_MIN_EXPONENT, GRID_MAX_EXPONENT);
  }

  /**
   * The learning rate used when none is given: the usual textbook default (Adam, AdamW, RMSProp 1e-3; SGD 0.1;
   * momentum and Nesterov 0.01; Lion 1e-4; Muon 0.02, Keller Jordan's); a scheduled name uses its base's (as the
   * peak rate).
   *
   * @throws UserError if the name is unknown
   */
  public static double defaultLearningRate(String name) {
    return switch (canonical(name)) {
      case "sgd" -> 0.1;
      case "momentum", "nesterov", "nesterov-cosine" -> 0.01;
      case "rmsprop", "adam", "adamw", "adam-cosine", "adamw-cosine" -> 1e-3;
      case "lion" -> 1e-4;
      case "muon" -> Muon.DEFAULT_LEARNING_RATE;
      default -> throw new AssertionError(name);
    };
  }

  /**
   * The canonical (lower-case) name.
   *
   * @throws UserError if the name is unknown
   */
  public static String requireKnown(String name) {
    return canonical(name);
  }

  /** {@code 10^lo .. 10^hi} at {@link #POINTS_PER_DECADE} points per decade. */
  static double[] logGrid(int lo, int hi) {
    int n = (hi - lo) * POINTS_PER_DECADE + 1;
    double[] grid = new double[n];
    for (int i = 0; i < n; i++) {
      grid[i] = Math.pow(10, lo + (double) i / POINTS_PER_DECADE);
    }
    return grid;
  }

  private static String canonical(String name) {
    String key = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
    if (!NAMES.contains(key)) {
      throw new UserError("unknown optimizer '" + name + "'; known: " + String.join(", ", NAMES)
          + ", or a path to an optimizer version file");
    }
    return key;
  }
}
