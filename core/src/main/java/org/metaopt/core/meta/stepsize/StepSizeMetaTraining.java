package org.metaopt.core.meta.stepsize;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Meta-gradient descent on the step size with the log meta-objective of seed 2: {@code eta_{k+1} = eta_k -
 * (alpha0 / sqrt k) g_k}, with {@code g_k} the exact analytic meta-gradient
 * ({@link QuadraticStepSizeMetaGradient#logDerivative}) averaged over a batch of tasks, compared with the best step
 * size of a fine log grid of the same objective.
 *
 * <p>Two task regimes: {@code freshTasks == false} uses one fixed batch of {@code tasksPerStep} sampled tasks at every
 * meta-step (deterministic gradient; the grid searches the mean log objective over that batch); {@code freshTasks ==
 * true} samples a new batch every step (stochastic gradient, learning to learn over a task distribution; the grid
 * searches the mean over a fixed set of {@code evaluationTasks} tasks as an estimate of the expected objective).
 * Stateless; thread-safe.
 */
public final class StepSizeMetaTraining {
  private StepSizeMetaTraining() {}

  /** Meta-training configuration; validated on construction. Immutable; thread-safe. */
  public record Config(int dim, double conditionNumber, int horizon, double eta0, double alpha0, int metaSteps,
      int tasksPerStep, boolean freshTasks, int evaluationTasks, int gridPoints, long seed) {

    public Config {
      positive("dim", dim);
      positive("horizon", horizon);
      positive("metaSteps", metaSteps);
      positive("tasksPerStep", tasksPerStep);
      positive("evaluationTasks", evaluationTasks);
      if (gridPoints < 2) {
        throw new IllegalArgumentException("gridPoints " + gridPoints + " must be >= 2");
      }
      if (!(conditionNumber >= 1) || Double.isInfinite(conditionNumber)) {
        throw new IllegalArgumentException("conditionNumber " + conditionNumber + " must be finite and >= 1");
      }
      if (!(eta0 > 0) || !(alpha0 > 0)) {
        throw new IllegalArgumentException("eta0 " + eta0 + " and alpha0 " + alpha0 + " must be > 0");
      }
    }

    /**
     * Seed 2's quadratic experiment (d = 20, t = 80, eta0 = 0.1, 300 meta-steps) on the task distribution of
     * {@link QuadraticStepSizeMetaGradient#randomTask} with kappa = 100 (so L = 1), 16 fresh tasks per meta-step,
     * 200 evaluation tasks and a 2000-point grid. The paper's meta step 1/(100 sqrt k) is not scale-free (eta scales as
     * 1/L and the log meta-gradient as L, so the step should scale as 1/L^2); at L = 1 it moves eta only from 0.1 to
     * about 0.14 in 300 steps, so alpha0 = 3 is used (equivalent to 1/100 at L of about 17).
     */
    public static Config paper() {
      return new Config(20, 100, 80, 0.1, 3.0, 300, 16, true, 200, 2000, 7L);
    }

    private static void positive(String name, int v) {
      if (v < 1) {
        throw new IllegalArgumentException(name + " " + v + " must be >= 1");
      }
    }
  }

  /** One meta-step: the step size before the update and the meta-gradient there. Immutable. */
  public record Step(int step, double eta, double gradient) {}

  /**
   * The trace, the final step size, the grid optimum and relative error {@code |eta - eta*| / eta*}, and the first
   * meta-step after which eta stays within 1% of the grid optimum (-1 if it never settles). Immutable.
   */
  public record Result(List<Step> trace, double finalEta, double gridBestEta, double relativeError,
      int settledWithinOnePercentAt) {}

  /** Runs meta-training and the grid search. */
  public static Result run(Config cfg) {
    SplittableRandom rng = new SplittableRandom(cfg.seed());
    List<QuadraticStepSizeMetaGradient> fixed = sample(cfg, cfg.freshTasks() ? cfg.evaluationTasks() : cfg.tasksPerStep(), rng);
    double upper = 2.0 / fixed.get(0).largestEigenvalue();
    double best = gridBest(fixed, cfg.horizon(), 1e-3, upper, cfg.gridPoints());
    List<Step> trace = new ArrayList<>(cfg.metaSteps());
    double eta = cfg.eta0();
    int settled = -1;
    for (int k = 1; k <= cfg.metaSteps(); k++) {
      List<QuadraticStepSizeMetaGradient> batch = cfg.freshTasks() ? sample(cfg, cfg.tasksPerStep(), rng) : fixed;
      double g = meanLogDerivative(batch, eta, cfg.horizon());
      trace.add(new Step(k, eta, g));
      eta = Math.max(eta - cfg.alpha0() / Math.sqrt(k) * g, 1e-6);
      boolean within = Math.abs(eta - best) <= 0.01 * best;
      if (within && settled < 0) {
        settled = k;
      } else if (!within) {
        settled = -1;
      }
    }
    return new Result(List.copyOf(trace), eta, best, Math.abs(eta - best) / best, settled);
  }

  /** Mean log objective over tasks. */
  public static double meanLogObjective(List<QuadraticStepSizeMetaGradient> tasks, double eta, int t) {
    double s = 0;
    for (QuadraticStepSizeMetaGradient q : tasks) {
      s += q.logObjective(eta, t);
    }
    return s / tasks.size();
  }

  /** Mean analytic log-objective meta-gradient over tasks. */
  public static double meanLogDerivative(List<QuadraticStepSizeMetaGradient> tasks, double eta, int t) {
    double s = 0;
    for (QuadraticStepSizeMetaGradient q : tasks) {
      s += q.logDerivative(eta, t);
    }
    return s / tasks.size();
  }

  /** The minimiser of the mean log objective over {@code points} log-spaced step sizes in {@code [lo, hi]}. */
  public static double gridBest(List<QuadraticStepSizeMetaGradient> tasks, int t, double lo, double hi, int points) {
    double bestEta = lo;
    double bestValue = Double.POSITIVE_INFINITY;
    double logLo = Math.log(lo);
    double span = Math.log(hi) - logLo;
    for (int j = 0; j < points; j++) {
      double eta = Math.exp(logLo + span * j / (points - 1));
      double v = meanLogObjective(tasks, eta, t);
      if (v < bestValue) {
        bestValue = v;
        bestEta = eta;
      }
    }
    return bestEta;
  }

  private static List<QuadraticStepSizeMetaGradient> sample(Config cfg, int n, SplittableRandom rng) {
    List<QuadraticStepSizeMetaGradient> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(QuadraticStepSizeMetaGradient.randomTask(cfg.dim(), cfg.conditionNumber(), rng.nextLong()));
    }
    return out;
  }
}
