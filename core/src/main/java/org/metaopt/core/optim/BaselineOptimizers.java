package org.metaopt.core.optim;

import java.util.List;
import java.util.Locale;
import org.metaopt.core.UserError;
import org.metaopt.core.tensor.ParamLayout;

/**
 * The registry of hand-designed baseline optimizers by name, each at its default hyperparameters apart from
 * the learning rate, with the learning-rate grid to tune it over.
 *
 * <p>Stateless and thread-safe; every {@link #create} returns a new, independent optimizer.
 */
public final class BaselineOptimizers {

  private static final List<String> NAMES =
      List.of("sgd", "momentum", "nesterov", "rmsprop", "adam", "adamw", "lion");

  /** Grid points per decade of learning rate. */
  public static final int POINTS_PER_DECADE = 3;

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
   * A new baseline optimizer for parameters laid out as {@code layout}, at its default hyperparameters and
   * the given learning rate.
   *
   * @throws UserError if the name is unknown or the learning rate is not finite and positive
   */
  public static Optimizer create(String name, double learningRate, ParamLayout layout) {
    String key = canonical(name);
    if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
      throw new UserError("learning rate for optimizer '" + key + "' must be finite and > 0, got "
          + learningRate);
    }
    int n = layout.size();
    return switch (key) {
      case "sgd" -> new Sgd(new Sgd.Config(learningRate), n);
      case "momentum" -> new Momentum(Momentum.Config.defaults(learningRate), n);
      case "nesterov" -> new Nesterov(Nesterov.Config.defaults(learningRate), n);
      case "rmsprop" -> new RmsProp(RmsProp.Config.defaults(learningRate), n);
      case "adam" -> new Adam(Adam.Config.defaults(learningRate), n);
      case "adamw" -> new AdamW(AdamW.Config.defaults(learningRate), n);
      case "lion" -> new Lion(Lion.Config.defaults(learningRate), n);
      default -> throw new AssertionError(key);
    };
  }

  /**
   * The learning rates to tune {@code name} over: log-spaced, {@value #POINTS_PER_DECADE} points per decade,
   * ascending, both ends included.
   *
   * <p>Adam, AdamW, RMSProp: 1e-4..1 (extended from 1e-4..1e-1, where tuned Adam's best rate often sat at the
   * top on quadratics and test functions: a fairness fix that makes these baselines stronger). Lion: 1e-5..1e-2 (its sign update has unit size per coordinate, so
   * it wants a rate 3-10x below Adam's). SGD: 1e-3..1. Momentum and Nesterov: 1e-4..1e-1, SGD's range shifted
   * one decade down since a momentum of 0.9 multiplies the effective step by {@code 1 / (1 - 0.9) = 10}.
   *
   * @throws UserError if the name is unknown
   */
  public static double[] defaultLearningRateGrid(String name) {
    return switch (canonical(name)) {
      case "sgd" -> logGrid(-3, 0);
      case "rmsprop", "adam", "adamw" -> logGrid(-4, 0);
      case "momentum", "nesterov" -> logGrid(-4, -1);
      case "lion" -> logGrid(-5, -2);
      default -> throw new AssertionError(name);
    };
  }

  /**
   * The learning rate used when none is given: the usual textbook default (Adam, AdamW, RMSProp 1e-3; SGD 0.1;
   * momentum and Nesterov 0.01; Lion 1e-4).
   *
   * @throws UserError if the name is unknown
   */
  public static double defaultLearningRate(String name) {
    return switch (canonical(name)) {
      case "sgd" -> 0.1;
      case "momentum", "nesterov" -> 0.01;
      case "rmsprop", "adam", "adamw" -> 1e-3;
      case "lion" -> 1e-4;
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
