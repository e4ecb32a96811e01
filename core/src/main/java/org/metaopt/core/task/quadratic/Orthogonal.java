package org.metaopt.core.task.quadratic;

import java.util.SplittableRandom;

/** Random orthogonal matrices (Haar-distributed, by Gram–Schmidt on Gaussian columns). Stateless. */
final class Orthogonal {
  private Orthogonal() {}

  /** Rows of the result are orthonormal; modified Gram–Schmidt, re-drawn on (improbable) degeneracy. */
  static double[][] random(int n, SplittableRandom rng) {
    double[][] q = new double[n][n];
    for (int i = 0; i < n; i++) {
      double norm;
      do {
        for (int j = 0; j < n; j++) {
          q[i][j] = rng.nextGaussian();
        }
        for (int k = 0; k < i; k++) {
          double dot = 0;
          for (int j = 0; j < n; j++) {
            dot += q[i][j] * q[k][j];
          }
          for (int j = 0; j < n; j++) {
            q[i][j] -= dot * q[k][j];
          }
        }
        norm = 0;
        for (int j = 0; j < n; j++) {
          norm += q[i][j] * q[i][j];
        }
        norm = Math.sqrt(norm);
      } while (norm < 1e-8);
      for (int j = 0; j < n; j++) {
        q[i][j] /= norm;
      }
    }
    return q;
  }
}
