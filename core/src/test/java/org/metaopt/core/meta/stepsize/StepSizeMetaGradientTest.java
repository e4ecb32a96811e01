package org.metaopt.core.meta.stepsize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Closed-form step-size meta-gradients against finite differences, forward mode, and the over/underflow pattern. */
class StepSizeMetaGradientTest {
  private static final QuadraticStepSizeMetaGradient TASK = QuadraticStepSizeMetaGradient.randomTask(20, 100, 3L);

  @Test
  void analyticDerivativesMatchCentralFiniteDifferences() {
    for (int t : new int[] {1, 5, 20, 80}) {
      for (double eta : new double[] {0.05, 0.7, 1.5, 2.1}) {
        double h = 1e-6;
        double fdNaive = (TASK.naiveObjective(eta + h, t) - TASK.naiveObjective(eta - h, t)) / (2 * h);
        double fdLog = (TASK.logObjective(eta + h, t) - TASK.logObjective(eta - h, t)) / (2 * h);
        assertEquals(fdNaive, TASK.naiveDerivative(eta, t), 1e-6 * Math.max(1, Math.abs(fdNaive)), "naive t=" + t + " eta=" + eta);
        assertEquals(fdLog, TASK.logDerivative(eta, t), 1e-6 * Math.max(1, Math.abs(fdLog)), "log t=" + t + " eta=" + eta);
      }
    }
  }

  @Test
  void analyticMatchesForwardModeThroughTheUnrollInTheEigenbasis() {
    for (int t : new int[] {1, 10, 40, 80}) {
      for (double eta : new double[] {0.1, 1.0, 1.9, 2.2}) {
        ForwardModeUnroll u = TASK.forwardMode(eta, t);
        assertEquals(TASK.naiveObjective(eta, t), u.loss(), 1e-10 * Math.abs(u.loss()));
        assertEquals(TASK.naiveDerivative(eta, t), u.lossDerivative(), 1e-9 * Math.abs(u.lossDerivative()));
        assertEquals(TASK.logObjective(eta, t), u.logObjective(), 1e-10 * Math.max(1, Math.abs(u.logObjective())));
        assertEquals(TASK.logDerivative(eta, t), u.logDerivative(), 1e-9 * Math.max(1, Math.abs(u.logDerivative())));
      }
    }
  }

  @Test
  void analyticMatchesForwardModeWithADenseRotatedHessian() {
    int d = 6;
    double[] lambda = {0.01, 0.05, 0.1, 0.3, 0.6, 1.0};
    double[] c = {0.5, -0.3, 0.2, 0.6, -0.4, 0.3};
    double[] v = {1, -2, 0.5, 0.3, 1.5, -0.7}; // Householder Q = I - 2 v v^T / |v|^2, symmetric and orthogonal
    double vv = LeastSquaresStepSizeStudy.dot(v, v);
    double[][] q = new double[d][d];
    for (int i = 0; i < d; i++) {
      for (int j = 0; j < d; j++) {
        q[i][j] = (i == j ? 1 : 0) - 2 * v[i] * v[j] / vv;
      }
    }
    double[][] h = new double[d][d];
    double[] w0 = new double[d];
    for (int i = 0; i < d; i++) {
      for (int j = 0; j < d; j++) {
        for (int k = 0; k < d; k++) {
          h[i][j] += q[i][k] * lambda[k] * q[j][k];
        }
        w0[i] += q[i][j] * c[j];
      }
    }
    ForwardModeUnroll.Hessian dense = new ForwardModeUnroll.Hessian() {
      @Override
      public int dim() {
        return d;
      }

      @Override
      public void multiply(double[] x, double[] out) {
        for (int i = 0; i < d; i++) {
          out[i] = LeastSquaresStepSizeStudy.dot(h[i], x);
        }
      }
    };
    QuadraticStepSizeMetaGradient analytic = new QuadraticStepSizeMetaGradient(lambda, c);
    for (int t : new int[] {3, 30}) {
      for (double eta : new double[] {0.5, 1.7, 2.3}) {
        ForwardModeUnroll u = ForwardModeUnroll.run(dense, w0, eta, t);
        assertEquals(analytic.naiveDerivative(eta, t), u.lossDerivative(), 1e-8 * Math.abs(u.lossDerivative()));
        assertEquals(analytic.logDerivative(eta, t), u.logDerivative(), 1e-8 * Math.max(1, Math.abs(u.logDerivative())));
      }
    }
  }

  @Test
  void logMetaGradientStaysBoundedWhereTheNaiveOneVanishesOrExplodes() {
    // kappa = 10: every mode contracts by at least (1 - 0.05)^2000 ~ e^-100 at eta = 0.5/L, t = 1000
    QuadraticStepSizeMetaGradient task = QuadraticStepSizeMetaGradient.randomTask(20, 10, 3L);
    int t = 1000;
    double below = 0.5 / task.largestEigenvalue();
    double above = 2.2 / task.largestEigenvalue();
    assertTrue(Math.abs(task.naiveDerivative(below, t)) < 1e-30, "naive vanishes below 2/L");
    assertTrue(Math.abs(task.naiveDerivative(above, t)) > 1e30, "naive explodes above 2/L");
    for (double eta : new double[] {1e-3, below, 1.0, 1.99, 2.0, above, 3.0}) {
      double g = task.logDerivative(eta, t);
      assertTrue(Double.isFinite(g) && Math.abs(g) < 1e3, "log meta-gradient " + g + " at eta=" + eta);
    }
    ForwardModeUnroll u = task.forwardMode(2.6, 2000); // plain differentiation through the unroll overflows
    assertTrue(!Double.isFinite(u.logDerivative()), "forward-mode log derivative " + u.logDerivative());
  }

  @Test
  void zeroContractionFactorIsHandledExactly() {
    QuadraticStepSizeMetaGradient q = new QuadraticStepSizeMetaGradient(new double[] {0.5, 1.0}, new double[] {0.6, 0.8});
    // eta = 1/L kills the top mode; what remains is the 0.5 mode alone: F = (1/t) log(1/2 0.36 0.5 0.5^(2t))
    int t = 50;
    assertEquals((Math.log(0.5 * 0.36 * 0.5) + 2 * t * Math.log(0.5)) / t, q.logObjective(1.0, t), 1e-12);
    assertEquals(-2 * 0.5 / 0.5, q.logDerivative(1.0, t), 1e-12);
  }
}
