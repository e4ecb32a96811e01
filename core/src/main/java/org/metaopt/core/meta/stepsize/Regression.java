package org.metaopt.core.meta.stepsize;

/**
 * Full-batch gradient descent from {@code w = 0} on {@code 1/(2n) ||X w - y||^2}, run in sample space: the residual
 * obeys {@code r_{k+1} = (I - eta K) r_k} with {@code K = X X^T / n}, and {@code w_t = -(eta/n) X^T sum_{k<t} r_k}.
 * Immutable after construction; thread-safe.
 */
final class Regression {
  private final double[][] x;
  private final double[] y;
  private final double[][] kernel;

  /** Training run outcome: final training loss and, lazily, the weights. */
  final class Result {
    final double trainLoss;
    private final double[] residualSum;
    private final double eta;

    Result(double trainLoss, double[] residualSum, double eta) {
      this.trainLoss = trainLoss;
      this.residualSum = residualSum;
      this.eta = eta;
    }

    double[] weights() {
      int n = y.length;
      double[] w = new double[x[0].length];
      for (int i = 0; i < n; i++) {
        double a = -eta / n * residualSum[i];
        double[] row = x[i];
        for (int j = 0; j < w.length; j++) {
          w[j] += a * row[j];
        }
      }
      return w;
    }
  }

  Regression(double[][] x, double[] y) {
    this.x = x;
    this.y = y;
    int n = y.length;
    kernel = new double[n][n];
    for (int i = 0; i < n; i++) {
      for (int k = i; k < n; k++) {
        double v = LeastSquaresStepSizeStudy.dot(x[i], x[k]) / n;
        kernel[i][k] = v;
        kernel[k][i] = v;
      }
    }
  }

  Result run(double eta, int t) {
    int n = y.length;
    double[] r = new double[n];
    double[] next = new double[n];
    double[] sum = new double[n];
    for (int i = 0; i < n; i++) {
      r[i] = -y[i]; // X * 0 - y
    }
    for (int k = 0; k < t; k++) {
      for (int i = 0; i < n; i++) {
        sum[i] += r[i];
        double[] row = kernel[i];
        double s = 0;
        for (int m = 0; m < n; m++) {
          s += row[m] * r[m];
        }
        next[i] = r[i] - eta * s;
      }
      double[] tmp = r;
      r = next;
      next = tmp;
    }
    double loss = 0;
    for (double v : r) {
      loss += v * v;
    }
    return new Result(0.5 * loss / n, sum, eta);
  }
}
