package org.metaopt.core.task;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

/** Finite-difference checks shared by every task's tests. */
public final class TaskChecks {
  private TaskChecks() {}

  /** A random direction with unit norm. */
  public static float[] randomUnit(int n, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    float[] v = new float[n];
    double norm = 0;
    for (int i = 0; i < n; i++) {
      v[i] = (float) rng.nextGaussian();
      norm += v[i] * v[i];
    }
    for (int i = 0; i < n; i++) {
      v[i] /= (float) Math.sqrt(norm);
    }
    return v;
  }

  /**
   * Asserts that {@code <grad, v>} matches the central difference of the loss along {@code v} for several random
   * unit directions: {@code |fd - analytic| <= relTol * max(|fd|, |analytic|, floor)}.
   */
  public static void assertGradientMatchesFiniteDifferences(
      Task task, float[] w, Batch batch, double eps, double relTol, double floor) {
    float[] g = new float[task.numParams()];
    task.lossAndGradient(w, batch, g);
    for (int k = 0; k < 5; k++) {
      float[] v = randomUnit(w.length, 100 + k);
      // Compare against the perturbation actually realised in float, so parameter rounding does not count as error.
      float[] wp = new float[w.length];
      float[] wm = new float[w.length];
      double analytic = 0;
      for (int i = 0; i < w.length; i++) {
        wp[i] = (float) (w[i] + eps * v[i]);
        wm[i] = (float) (w[i] - eps * v[i]);
        analytic += (double) g[i] * ((double) wp[i] - wm[i]);
      }
      double fd = task.loss(wp, batch) - task.loss(wm, batch);
      double scale = Math.max(Math.max(Math.abs(fd), Math.abs(analytic)), floor * 2 * eps);
      assertTrue(Math.abs(fd - analytic) <= relTol * scale,
          task.name() + ": direction " + k + " analytic " + analytic + " vs finite difference " + fd);
    }
  }

  /**
   * Asserts that the task's Hessian-vector product matches central differences of gradients:
   * {@code ||Hv - fd|| <= relTol * max(||fd||, floor)}.
   */
  public static void assertHessianVectorProductMatchesFiniteDifferences(
      Task task, float[] w, Batch batch, double step, double relTol, double floor) {
    for (int k = 0; k < 3; k++) {
      float[] v = randomUnit(w.length, 200 + k);
      float[] hv = new float[w.length];
      float[] fd = new float[w.length];
      task.hessianVectorProduct(w, batch, v, hv);
      FiniteDifferences.hessianVectorProduct(task, w, batch, v, fd, step);
      double diff = 0;
      double norm = 0;
      for (int i = 0; i < w.length; i++) {
        diff += (hv[i] - fd[i]) * (double) (hv[i] - fd[i]);
        norm += (double) fd[i] * fd[i];
      }
      assertTrue(Math.sqrt(diff) <= relTol * Math.max(Math.sqrt(norm), floor),
          task.name() + ": ||Hv - fd|| = " + Math.sqrt(diff) + " with ||fd|| = " + Math.sqrt(norm));
    }
  }
}
