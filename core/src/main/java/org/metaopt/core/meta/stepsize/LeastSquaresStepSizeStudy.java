package org.metaopt.core.meta.stepsize;

import java.util.ArrayList;
import java.util.List;
import org.metaopt.core.data.Dataset;
import org.metaopt.core.data.LinearRegressionData;
import org.metaopt.core.data.SplitSizes;

/**
 * Seed 2's least-squares generalization experiment: {@code t} steps of full-batch gradient descent from {@code w = 0}
 * on {@code 1/(2n) ||X w - y||^2}, step size chosen by grid search on a meta-objective averaged over tasks, either
 * train-by-train (loss of {@code w_t} on the {@code n} samples it trained on) or train-by-validation (trained on the
 * first {@code n/2}, loss on the other {@code n/2}); the chosen step is then judged by the test loss on fresh samples
 * and the excess risk {@code ||w_t - w*||^2} (inputs are {@code N(0, I)}, so test MSE = excess risk + sigma^2).
 *
 * <p>Each task is a {@link LinearRegressionData} draw. Gradient descent runs in sample space (the iterate stays in
 * the row space of X, and the residual obeys {@code r_{k+1} = (I - eta X X^T / n) r_k}), which costs {@code n^2} per
 * step instead of {@code n d}. A diverging step gives an infinite meta-objective. Stateless; thread-safe.
 */
public final class LeastSquaresStepSizeStudy {
  private LeastSquaresStepSizeStudy() {}

  /** Which samples the meta-objective is measured on. */
  public enum MetaObjective { TRAIN_BY_TRAIN, TRAIN_BY_VALIDATION }

  /** Study configuration; validated on construction. Immutable; thread-safe. */
  public record Config(int dim, int samples, int horizon, double noise, int tasks, int testExamples, double etaMin,
      double etaMax, int gridPoints, long seed) {

    public Config {
      if (dim < 1 || samples < 2 || samples % 2 != 0 || horizon < 1 || tasks < 1 || testExamples < 1) {
        throw new IllegalArgumentException("need dim >= 1 (" + dim + "), even samples >= 2 (" + samples
            + "), horizon >= 1 (" + horizon + "), tasks >= 1 (" + tasks + "), testExamples >= 1 (" + testExamples + ")");
      }
      if (!(noise >= 0) || !(etaMin > 0) || !(etaMax > etaMin) || gridPoints < 2) {
        throw new IllegalArgumentException("need noise >= 0 (" + noise + "), 0 < etaMin (" + etaMin + ") < etaMax ("
            + etaMax + "), gridPoints >= 2 (" + gridPoints + ")");
      }
    }

    /**
     * The paper's setting (d = 1000, t = 40, 500 samples vs 250 + 250, 300 tasks) scaled down 5x in d and n
     * (d = 200, n = 100, so n / d = 1/2 as in the paper), 50 tasks, noise sigma = 1, 81 log-spaced steps in [1e-3, 1].
     */
    public static Config paperScaled() {
      return new Config(200, 100, 40, 1.0, 50, 1000, 1e-3, 1.0, 81, 11L);
    }
  }

  /** The chosen step size of one meta-objective and the mean over tasks of its losses. Immutable. */
  public record Row(MetaObjective objective, double eta, double metaObjective, double trainLoss,
      double validationLoss, double testLoss, double excessRisk) {}

  /** Runs both meta-objectives on the same tasks; train-by-train first. */
  public static List<Row> run(Config cfg) {
    List<Task> tasks = new ArrayList<>(cfg.tasks());
    for (int i = 0; i < cfg.tasks(); i++) {
      tasks.add(Task.draw(cfg, cfg.seed() + 1000003L * i));
    }
    List<Row> rows = new ArrayList<>(2);
    for (MetaObjective m : MetaObjective.values()) {
      double bestEta = cfg.etaMin();
      double best = Double.POSITIVE_INFINITY;
      double logLo = Math.log(cfg.etaMin());
      double span = Math.log(cfg.etaMax()) - logLo;
      for (int j = 0; j < cfg.gridPoints(); j++) {
        double eta = Math.exp(logLo + span * j / (cfg.gridPoints() - 1));
        double v = 0;
        for (Task task : tasks) {
          v += task.metaObjective(m, eta, cfg.horizon());
        }
        v /= tasks.size();
        if (v < best) {
          best = v;
          bestEta = eta;
        }
      }
      double train = 0;
      double val = 0;
      double test = 0;
      double excess = 0;
      for (Task task : tasks) {
        Fit fit = task.fit(m, bestEta, cfg.horizon());
        train += fit.trainLoss;
        val += fit.validationLoss;
        test += fit.testLoss;
        excess += fit.excessRisk;
      }
      int n = tasks.size();
      rows.add(new Row(m, bestEta, best, train / n, m == MetaObjective.TRAIN_BY_TRAIN ? Double.NaN : val / n,
          test / n, excess / n));
    }
    return List.copyOf(rows);
  }

  private record Fit(double trainLoss, double validationLoss, double testLoss, double excessRisk) {}

  /** One drawn task: all {@code n} samples, their halves, a test set and {@code w*}; kernels precomputed. */
  private static final class Task {
    final Regression all;
    final Regression firstHalf;
    final double[][] secondX;
    final double[] secondY;
    final double[][] testX;
    final double[] testY;
    final double[] wStar;

    private Task(Regression all, Regression firstHalf, double[][] secondX, double[] secondY, double[][] testX,
        double[] testY, double[] wStar) {
      this.all = all;
      this.firstHalf = firstHalf;
      this.secondX = secondX;
      this.secondY = secondY;
      this.testX = testX;
      this.testY = testY;
      this.wStar = wStar;
    }

    static Task draw(Config cfg, long seed) {
      LinearRegressionData.Problem p = new LinearRegressionData(cfg.dim(), new SplitSizes(cfg.samples(), 0,
          cfg.testExamples()), cfg.noise(), seed).generate();
      double[][] x = rows(p.splits().train());
      double[] y = targets(p.splits().train());
      int h = cfg.samples() / 2;
      double[][] x1 = java.util.Arrays.copyOfRange(x, 0, h);
      double[] y1 = java.util.Arrays.copyOfRange(y, 0, h);
      double[] wStar = new double[cfg.dim()];
      for (int j = 0; j < wStar.length; j++) {
        wStar[j] = p.wStar()[j];
      }
      return new Task(new Regression(x, y), new Regression(x1, y1), java.util.Arrays.copyOfRange(x, h, x.length),
          java.util.Arrays.copyOfRange(y, h, y.length), rows(p.splits().test()), targets(p.splits().test()), wStar);
    }

    double metaObjective(MetaObjective m, double eta, int t) {
      double v = m == MetaObjective.TRAIN_BY_TRAIN ? all.run(eta, t).trainLoss
          : loss(secondX, secondY, firstHalf.run(eta, t).weights());
      return Double.isFinite(v) ? v : Double.POSITIVE_INFINITY;
    }

    Fit fit(MetaObjective m, double eta, int t) {
      Regression r = m == MetaObjective.TRAIN_BY_TRAIN ? all : firstHalf;
      Regression.Result res = r.run(eta, t);
      double[] w = res.weights();
      double excess = 0;
      for (int j = 0; j < w.length; j++) {
        excess += (w[j] - wStar[j]) * (w[j] - wStar[j]);
      }
      return new Fit(res.trainLoss, loss(secondX, secondY, w), loss(testX, testY, w), excess);
    }
  }

  /** {@code 1/(2n) ||X w - y||^2}. */
  static double loss(double[][] x, double[] y, double[] w) {
    double s = 0;
    for (int i = 0; i < y.length; i++) {
      double r = dot(x[i], w) - y[i];
      s += r * r;
    }
    return 0.5 * s / y.length;
  }

  static double dot(double[] a, double[] b) {
    double s = 0;
    for (int j = 0; j < a.length; j++) {
      s += a[j] * b[j];
    }
    return s;
  }

  private static double[][] rows(Dataset d) {
    int n = d.size();
    int dim = d.numFeatures();
    double[][] x = new double[n][dim];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < dim; j++) {
        x[i][j] = d.features()[i * dim + j];
      }
    }
    return x;
  }

  private static double[] targets(Dataset d) {
    double[] y = new double[d.size()];
    for (int i = 0; i < y.length; i++) {
      y[i] = d.targets()[i];
    }
    return y;
  }
}
