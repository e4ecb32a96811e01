package org.metaopt.core.kernel;

/**
 * A double-precision transcription of the Newton–Schulz iteration (RESEARCH.md, Celo2 "NS"), on {@code double[][]}
 * matrices with textbook loops, and singular values by Jacobi eigenvalues of {@code M^T M}: the reference
 * {@link NewtonSchulz} and Muon are checked against. Stateless.
 */
public final class NewtonSchulzReference {
  private NewtonSchulzReference() {}

  /** The orthogonalization of {@code m} ({@code R x C}), a new matrix of the same shape. */
  public static double[][] orthogonalize(double[][] m) {
    boolean transpose = m.length > m[0].length;
    double[][] x = transpose ? transpose(m) : copy(m);
    double norm = 0;
    for (double[] row : x) {
      for (double v : row) {
        norm += v * v;
      }
    }
    norm = Math.sqrt(norm) + 1e-8;
    for (double[] row : x) {
      for (int j = 0; j < row.length; j++) {
        row[j] /= norm;
      }
    }
    double a = 3.4445;
    double b = -4.7750;
    double c = 2.0315;
    for (int s = 0; s < 5; s++) {
      double[][] gram = multiply(x, transpose(x));
      double[][] gram2 = multiply(gram, gram);
      double[][] poly = new double[gram.length][gram.length];
      for (int i = 0; i < gram.length; i++) {
        for (int j = 0; j < gram.length; j++) {
          poly[i][j] = b * gram[i][j] + c * gram2[i][j];
        }
      }
      double[][] px = multiply(poly, x);
      for (int i = 0; i < x.length; i++) {
        for (int j = 0; j < x[0].length; j++) {
          x[i][j] = a * x[i][j] + px[i][j];
        }
      }
    }
    return transpose ? transpose(x) : x;
  }

  /** The singular values of {@code m}, descending: roots of the Jacobi eigenvalues of the smaller Gram matrix. */
  public static double[] singularValues(double[][] m) {
    double[][] g = m.length <= m[0].length ? multiply(m, transpose(m)) : multiply(transpose(m), m);
    int n = g.length;
    for (int sweep = 0; sweep < 100; sweep++) {
      double off = 0;
      for (int p = 0; p < n; p++) {
        for (int q = p + 1; q < n; q++) {
          off += g[p][q] * g[p][q];
        }
      }
      if (off < 1e-30) {
        break;
      }
      for (int p = 0; p < n; p++) {
        for (int q = p + 1; q < n; q++) {
          if (Math.abs(g[p][q]) < 1e-300) {
            continue;
          }
          double theta = (g[q][q] - g[p][p]) / (2 * g[p][q]);
          double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
          if (theta == 0) {
            t = 1;
          }
          double cs = 1 / Math.sqrt(t * t + 1);
          double sn = t * cs;
          for (int k = 0; k < n; k++) { // G <- G J
            double gkp = g[k][p];
            double gkq = g[k][q];
            g[k][p] = cs * gkp - sn * gkq;
            g[k][q] = sn * gkp + cs * gkq;
          }
          for (int k = 0; k < n; k++) { // G <- J^T G
            double gpk = g[p][k];
            double gqk = g[q][k];
            g[p][k] = cs * gpk - sn * gqk;
            g[q][k] = sn * gpk + cs * gqk;
          }
        }
      }
    }
    double[] s = new double[n];
    for (int i = 0; i < n; i++) {
      s[i] = Math.sqrt(Math.max(0, g[i][i]));
    }
    java.util.Arrays.sort(s);
    for (int i = 0; i < n / 2; i++) {
      double t = s[i];
      s[i] = s[n - 1 - i];
      s[n - 1 - i] = t;
    }
    return s;
  }

  /** {@code a b}. */
  public static double[][] multiply(double[][] a, double[][] b) {
    double[][] out = new double[a.length][b[0].length];
    for (int i = 0; i < a.length; i++) {
      for (int k = 0; k < b.length; k++) {
        double aik = a[i][k];
        for (int j = 0; j < b[0].length; j++) {
          out[i][j] += aik * b[k][j];
        }
      }
    }
    return out;
  }

  public static double[][] transpose(double[][] m) {
    double[][] t = new double[m[0].length][m.length];
    for (int i = 0; i < m.length; i++) {
      for (int j = 0; j < m[0].length; j++) {
        t[j][i] = m[i][j];
      }
    }
    return t;
  }

  /** The row-major {@code rows x cols} matrix at {@code flat[off..]}, widened to double. */
  public static double[][] fromFlat(float[] flat, int off, int rows, int cols) {
    double[][] m = new double[rows][cols];
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        m[i][j] = flat[off + i * cols + j];
      }
    }
    return m;
  }

  private static double[][] copy(double[][] m) {
    double[][] c = new double[m.length][];
    for (int i = 0; i < m.length; i++) {
      c[i] = m[i].clone();
    }
    return c;
  }
}
