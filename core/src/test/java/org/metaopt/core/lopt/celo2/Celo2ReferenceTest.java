package org.metaopt.core.lopt.celo2;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.metaopt.core.lopt.LearnedUpdate;
import org.metaopt.core.optim.CosineSchedule;
import org.metaopt.core.tensor.ParamLayout;
import org.metaopt.core.tensor.TensorSpec;

/**
 * The float optimizer against a double-precision implementation of RESEARCH.md § Celo2 written here straight from
 * the text (features, normalization, MLP, Newton–Schulz, RMS normalization, step, vector branch), on a layout with a
 * tall dense matrix, a wide convolution kernel, a square matrix and a bias.
 */
class Celo2ReferenceTest {
  static final ParamLayout LAYOUT = ParamLayout.builder().add("dense", 6, 4).add("conv", 3, 2, 2, 2)
      .add("square", 4, 4).add("bias", 5).build();
  static final int STEPS = 6;
  static final int TOTAL_STEPS = 20;
  /**
   * Largest difference allowed between the float and the double step, relative to the step's RMS (1 before the
   * rate), without Newton–Schulz (measured 1.4e-6).
   */
  static final double TOLERANCE = 1e-5;
  /**
   * The same with Newton–Schulz (measured 7.3e-6): its 5 float iterations amplify the rounding of small singular
   * values by up to a^5 ≈ 500, so float rounding there dominates.
   */
  static final double NS_TOLERANCE = 5e-5;

  static List<Map<String, Object>> configs() {
    return List.of(
        Map.of("lr", 0.1, "weightDecay", 0.1, "init", "momentum"),
        Map.of("lr", 0.1, "weightDecay", 0.1, "init", "random"),
        Map.of("lr", 0.1, "init", "random", "muScale", 4, "hidden", List.of(6, 5, 4)),
        Map.of("lr", 0.1, "weightDecay", 0.05, "init", "momentum", "ns", false, "schedule", "constant"));
  }

  static float[] gradient(int t) {
    float[] g = new float[LAYOUT.size()];
    for (int i = 0; i < g.length; i++) {
      g[i] = (float) (Math.sin(1.3 * i + 0.7 * t) * Math.pow(10, (i % 5) - 2) + 0.3 * Math.cos(0.4 * i * t));
    }
    if (t == 2) {
      g[3] = Float.NaN; // treated as 0
      g[7] = 5000f; // clipped to 1000
      g[40] = Float.NEGATIVE_INFINITY;
    }
    return g;
  }

  @ParameterizedTest
  @MethodSource("configs")
  void floatStepsMatchTheDoubleReference(Map<String, Object> hyper) {
    Celo2 arch = Celo2.fromHyperparameters(hyper);
    Celo2Config c = arch.config();
    float[] theta = arch.initialMetaParams(11);
    LearnedUpdate opt = arch.create(theta, LAYOUT, TOTAL_STEPS);
    Reference ref = new Reference(arch, theta);
    float[] w = new float[LAYOUT.size()];
    for (int i = 0; i < w.length; i++) {
      w[i] = (float) (0.2 * Math.cos(2.1 * i));
    }
    double worst = 0;
    for (int t = 0; t < STEPS; t++) {
      float[] g = gradient(t);
      double[] before = new double[w.length];
      for (int i = 0; i < w.length; i++) {
        before[i] = w[i];
      }
      double[] want = ref.step(before, g, t);
      opt.step(w, g.clone());
      double eta = c.schedule() == Celo2Config.Schedule.COSINE ? c.lr() * new CosineSchedule(TOTAL_STEPS).factor(t)
          : c.lr();
      for (TensorSpec ts : LAYOUT.tensors()) {
        double rate = eta * ref.rateMult(ts);
        double err = 0;
        double rms = 0;
        for (int i = ts.offset(); i < ts.end(); i++) {
          double u = (before[i] - w[i]) / rate;
          double uRef = (before[i] - want[i]) / rate;
          err = Math.max(err, Math.abs(u - uRef));
          rms += uRef * uRef / ts.size();
        }
        double rel = err / Math.sqrt(rms);
        worst = Math.max(worst, rel);
        assertTrue(rel <= (c.ns() ? NS_TOLERANCE : TOLERANCE),
            hyper + " step " + t + " tensor " + ts.name() + ": relative error " + rel);
      }
    }
    System.out.printf("celo2 reference %s: worst relative error %.2e%n", hyper, worst);
  }

  /** RESEARCH.md § Celo2 in double precision, one object per run. */
  static final class Reference {
    static final double[] BETAS = {0.9, 0.99, 0.999};
    final Celo2Config config;
    final int[] hidden;
    final float[] theta;
    final ParamLayout meta;
    final Map<String, double[][]> m = new HashMap<>();
    final Map<String, double[]> v = new HashMap<>();
    final Map<String, double[][]> vS = new HashMap<>();
    final Map<String, double[][]> vL = new HashMap<>();
    final String first;
    final String last;

    Reference(Celo2 arch, float[] theta) {
      this.config = arch.config();
      this.hidden = config.hidden().stream().mapToInt(Integer::intValue).toArray();
      this.theta = theta.clone();
      this.meta = arch.metaLayout();
      String f = null;
      String l = null;
      for (TensorSpec ts : LAYOUT.tensors()) {
        m.put(ts.name(), new double[3][ts.size()]);
        v.put(ts.name(), new double[ts.size()]);
        if (ts.shape().length >= 2) {
          int r = ts.shape()[0];
          int c = ts.size() / r;
          vS.put(ts.name(), new double[3][Math.min(r, c)]);
          vL.put(ts.name(), new double[3][Math.max(r, c)]);
          f = f == null ? ts.name() : f;
          l = ts.name();
        }
      }
      this.first = f;
      this.last = l;
    }

    double rateMult(TensorSpec ts) {
      if (ts.shape().length == 1) {
        return config.vectorLrMult();
      }
      boolean hiddenMatrix = !ts.name().equals(first) && !ts.name().equals(last);
      return config.muScale() > 0 && hiddenMatrix ? config.muScale() / ts.fanIn() : 1;
    }

    double[] step(double[] p, float[] grad, int t) {
      double eta = config.schedule() == Celo2Config.Schedule.COSINE
          ? config.lr() * new CosineSchedule(TOTAL_STEPS).factor(t) : config.lr();
      double lambda = config.weightDecay();
      double[] out = p.clone();
      for (TensorSpec ts : LAYOUT.tensors()) {
        int n = ts.size();
        double[] g = new double[n];
        for (int i = 0; i < n; i++) {
          float x = grad[ts.offset() + i];
          g[i] = Float.isFinite(x) ? Math.max(-1000, Math.min(1000, x)) : 0;
        }
        double[][] mk = m.get(ts.name());
        double[] vv = v.get(ts.name());
        double rate = eta * rateMult(ts);
        if (ts.shape().length == 1) {
          for (int i = 0; i < n; i++) {
            mk[0][i] = 0.9 * mk[0][i] + 0.1 * g[i];
            vv[i] = 0.95 * vv[i] + 0.05 * g[i] * g[i];
            double pi = p[ts.offset() + i];
            out[ts.offset() + i] = pi - rate * (mk[0][i] / Math.sqrt(vv[i] + 1e-8) + lambda * pi);
          }
          continue;
        }
        int rows = ts.shape()[0];
        int cols = n / rows;
        for (int i = 0; i < n; i++) {
          for (int k = 0; k < 3; k++) {
            mk[k][i] = BETAS[k] * mk[k][i] + (1 - BETAS[k]) * g[i];
          }
          vv[i] = 0.95 * vv[i] + 0.05 * g[i] * g[i];
        }
        // d0 = the larger axis, d1 = the smaller (square: d1 = rows); vS along d1, vL along d0
        boolean d1IsRows = rows <= cols;
        double[][] s = vS.get(ts.name());
        double[][] l = vL.get(ts.name());
        double[][] rowF = new double[3][];
        double[][] colF = new double[3][];
        for (int k = 0; k < 3; k++) {
          double[] meanOverD0 = new double[s[k].length];
          double[] meanOverD1 = new double[l[k].length];
          for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
              double q = g[i * cols + j] * g[i * cols + j] + 1e-30;
              meanOverD0[d1IsRows ? i : j] += q / (d1IsRows ? cols : rows);
              meanOverD1[d1IsRows ? j : i] += q / (d1IsRows ? rows : cols);
            }
          }
          double meanS = 0;
          for (int a = 0; a < s[k].length; a++) {
            s[k][a] = BETAS[k] * s[k][a] + (1 - BETAS[k]) * meanOverD0[a];
          }
          for (int a = 0; a < l[k].length; a++) {
            l[k][a] = BETAS[k] * l[k][a] + (1 - BETAS[k]) * meanOverD1[a];
          }
          for (double x : s[k]) {
            meanS += x / s[k].length;
          }
          rowF[k] = new double[s[k].length];
          colF[k] = new double[l[k].length];
          for (int a = 0; a < s[k].length; a++) {
            rowF[k][a] = 1 / Math.sqrt(Math.max(s[k][a] / (meanS + 1e-9), 1e-9));
          }
          for (int a = 0; a < l[k].length; a++) {
            colF[k][a] = 1 / Math.sqrt(Math.max(l[k][a], 1e-9));
          }
        }
        double[][] feat = new double[30][n];
        for (int i = 0; i < rows; i++) {
          for (int j = 0; j < cols; j++) {
            int e = i * cols + j;
            int si = d1IsRows ? i : j; // index along d1 (vS, rowF)
            int li = d1IsRows ? j : i; // index along d0 (vL, colF)
            double r = 1 / Math.sqrt(vv[e] + 1e-8);
            int f = 0;
            feat[f++][e] = g[e];
            feat[f++][e] = Math.max(-0.1, Math.min(0.1, g[e]));
            feat[f++][e] = p[ts.offset() + e];
            for (int k = 0; k < 3; k++) {
              feat[f++][e] = mk[k][e];
            }
            feat[f++][e] = vv[e];
            for (int k = 0; k < 3; k++) {
              feat[f++][e] = mk[k][e] * r;
            }
            feat[f++][e] = r;
            for (int k = 0; k < 3; k++) {
              feat[f++][e] = g[e] * rowF[k][si] * colF[k][li];
            }
            feat[f++][e] = g[e] * r;
            for (int k = 0; k < 3; k++) {
              feat[f++][e] = s[k][si];
            }
            for (int k = 0; k < 3; k++) {
              feat[f++][e] = l[k][li];
            }
            for (int k = 0; k < 3; k++) {
              feat[f++][e] = 1 / Math.sqrt(s[k][si] + 1e-8);
            }
            for (int k = 0; k < 3; k++) {
              feat[f++][e] = 1 / Math.sqrt(l[k][li] + 1e-8);
            }
            for (int k = 0; k < 3; k++) {
              feat[f++][e] = mk[k][e] * rowF[k][si] * colF[k][li];
            }
          }
        }
        for (double[] ch : feat) {
          double ms = 0;
          for (double x : ch) {
            ms += x * x / n;
          }
          for (int e = 0; e < n; e++) {
            ch[e] /= Math.sqrt(ms + 1e-9);
          }
        }
        double[][] d = new double[rows][cols];
        for (int e = 0; e < n; e++) {
          double[] x = new double[30];
          for (int f = 0; f < 30; f++) {
            x[f] = feat[f][e];
          }
          for (int layer = 0; layer < hidden.length; layer++) {
            x = affine("mlp" + layer, hidden[layer], x);
            for (int u = 0; u < x.length; u++) {
              x[u] = Math.max(0, x[u]);
            }
          }
          d[e / cols][e % cols] = affine("out", 3, x)[0];
        }
        if (config.ns()) {
          d = newtonSchulz(d);
        }
        double ms = 0;
        for (double[] row : d) {
          for (double x : row) {
            ms += x * x / n;
          }
        }
        for (int e = 0; e < n; e++) {
          double pi = p[ts.offset() + e];
          out[ts.offset() + e] = pi - rate * (d[e / cols][e % cols] / Math.sqrt(ms + 1e-9) + lambda * pi);
        }
      }
      return out;
    }

    double[] affine(String name, int units, double[] x) {
      int w = meta.tensor(name + ".weight").offset();
      int b = meta.tensor(name + ".bias").offset();
      double[] y = new double[units];
      for (int u = 0; u < units; u++) {
        y[u] = theta[b + u];
        for (int k = 0; k < x.length; k++) {
          y[u] += theta[w + u * x.length + k] * x[k];
        }
      }
      return y;
    }

    /** Transpose if rows > cols; X / (‖X‖_F + 1e-8); 5 × {A = X Xᵀ; B = bA + cA²; X = aX + BX}; transpose back. */
    static double[][] newtonSchulz(double[][] m) {
      boolean tr = m.length > m[0].length;
      double[][] x = tr ? transpose(m) : m;
      double norm = 0;
      for (double[] row : x) {
        for (double v : row) {
          norm += v * v;
        }
      }
      norm = Math.sqrt(norm) + 1e-8;
      x = scale(x, 1 / norm);
      for (int it = 0; it < 5; it++) {
        double[][] a = mul(x, transpose(x));
        double[][] b = add(scale(a, -4.7750), scale(mul(a, a), 2.0315));
        x = add(scale(x, 3.4445), mul(b, x));
      }
      return tr ? transpose(x) : x;
    }

    static double[][] transpose(double[][] a) {
      double[][] t = new double[a[0].length][a.length];
      for (int i = 0; i < a.length; i++) {
        for (int j = 0; j < a[0].length; j++) {
          t[j][i] = a[i][j];
        }
      }
      return t;
    }

    static double[][] mul(double[][] a, double[][] b) {
      double[][] c = new double[a.length][b[0].length];
      for (int i = 0; i < a.length; i++) {
        for (int k = 0; k < b.length; k++) {
          for (int j = 0; j < b[0].length; j++) {
            c[i][j] += a[i][k] * b[k][j];
          }
        }
      }
      return c;
    }

    static double[][] scale(double[][] a, double s) {
      double[][] c = new double[a.length][a[0].length];
      for (int i = 0; i < a.length; i++) {
        for (int j = 0; j < a[0].length; j++) {
          c[i][j] = a[i][j] * s;
        }
      }
      return c;
    }

    static double[][] add(double[][] a, double[][] b) {
      double[][] c = new double[a.length][a[0].length];
      for (int i = 0; i < a.length; i++) {
        for (int j = 0; j < a[0].length; j++) {
          c[i][j] = a[i][j] + b[i][j];
        }
      }
      return c;
    }
  }
}
