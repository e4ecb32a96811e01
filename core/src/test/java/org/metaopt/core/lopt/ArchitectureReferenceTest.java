package org.metaopt.core.lopt;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.metaopt.core.optim.Optimizer;
import org.metaopt.core.tensor.ParamLayout;
import org.metaopt.core.tensor.TensorSpec;

/**
 * The blocked, fused optimizers against plain per-coordinate reference implementations of the documented
 * formulas (double precision, {@link Math#tanh}), over layouts larger than one block.
 */
class ArchitectureReferenceTest {
  static final ParamLayout LAYOUT = ParamLayout.builder().add("w", 10, 20).add("b", 70).build();
  static final int N = 270;
  static final int STEPS = 6;

  static float[] grad(int t) {
    float[] g = new float[N];
    for (int i = 0; i < N; i++) {
      g[i] = (float) (Math.sin(1.7 * i + t) * Math.pow(10, (i % 7) - 4));
    }
    return g;
  }

  static double sigmoid(double x) {
    return 1 / (1 + Math.exp(-x));
  }

  /** Applies {@code w[rows, cols]} at {@code off} plus bias at {@code bOff} to {@code x}. */
  static double[] affine(float[] th, int off, int bOff, int rows, double[] x) {
    double[] y = new double[rows];
    for (int r = 0; r < rows; r++) {
      y[r] = th[bOff + r];
      for (int k = 0; k < x.length; k++) {
        y[r] += th[off + r * x.length + k] * x[k];
      }
    }
    return y;
  }

  /** One LSTM layer step for one coordinate; h and c updated in place. */
  static double[] lstm(float[] th, ParamLayout meta, String name, double[] x, double[] h, double[] c) {
    int hid = h.length;
    double[] in = new double[x.length + hid];
    System.arraycopy(x, 0, in, 0, x.length);
    System.arraycopy(h, 0, in, x.length, hid);
    double[] z = affine(th, meta.tensor(name + ".weight").offset(), meta.tensor(name + ".bias").offset(), 4 * hid, in);
    for (int j = 0; j < hid; j++) {
      c[j] = sigmoid(z[hid + j]) * c[j] + sigmoid(z[j]) * Math.tanh(z[2 * hid + j]);
      h[j] = sigmoid(z[3 * hid + j]) * Math.tanh(c[j]);
    }
    return h.clone();
  }

  static void compare(String name, Optimizer opt, float[] ref, float[] w, double tol) {
    for (int i = 0; i < N; i++) {
      assertEquals(ref[i], w[i], tol, name + " coordinate " + i);
    }
  }

  @Test
  void mlpLoptMatchesThePerParameterFormula() {
    MlpLopt arch = MlpLopt.defaults();
    float[] th = arch.initialMetaParams(4);
    ParamLayout meta = arch.metaLayout();
    Optimizer opt = arch.create(th, LAYOUT, 0);
    float[] w = new float[N];
    float[] ref = new float[N];
    double[][] m = new double[6][N];
    for (int t = 0; t < STEPS; t++) {
      float[] g = grad(t);
      opt.step(w, g);
      float[] before = ref.clone();
      for (TensorSpec ts : LAYOUT.tensors()) {
        double[][] feat = new double[8][ts.size()];
        for (int i = ts.offset(); i < ts.end(); i++) {
          feat[0][i - ts.offset()] = g[i];
          feat[1][i - ts.offset()] = before[i];
          for (int d = 0; d < 6; d++) {
            m[d][i] = MlpLopt.DECAYS[d] * m[d][i] + (1 - MlpLopt.DECAYS[d]) * g[i];
            feat[2 + d][i - ts.offset()] = m[d][i];
          }
        }
        for (double[] f : feat) {
          double ms = 0;
          for (double v : f) {
            ms += v * v / f.length;
          }
          for (int i = 0; i < f.length; i++) {
            f[i] /= Math.sqrt(1e-5 + ms);
          }
        }
        for (int i = 0; i < ts.size(); i++) {
          double[] x = new double[19];
          for (int k = 0; k < 8; k++) {
            x[k] = feat[k][i];
          }
          for (int e = 0; e < 11; e++) {
            x[8 + e] = Math.tanh(t / (double) MlpLopt.TIMESCALES[e] - 1);
          }
          for (int l = 0; l < 2; l++) {
            x = affine(th, meta.tensor("mlp" + l + ".weight").offset(), meta.tensor("mlp" + l + ".bias").offset(),
                32, x);
            for (int j = 0; j < x.length; j++) {
              x[j] = Math.max(0, x[j]);
            }
          }
          double[] o = affine(th, meta.tensor("out.weight").offset(), meta.tensor("out.bias").offset(), 2, x);
          ref[ts.offset() + i] = (float) (before[ts.offset() + i] - o[0] * Math.exp(o[1] * 0.001) * 0.001);
        }
      }
      compare("mlp-lopt step " + t, opt, ref, w, 2e-6);
    }
  }

  /**
   * The small configuration with Adam and progress features over a tensor of several blocks
   * ({@link MlpLoptOptimizer#BLOCK}), including non-finite gradient entries (treated as 0) and one tensor whose
   * gradients reach 1e30 (its sums of squares overflow float and take the double path).
   */
  @Test
  void mlpLoptWithAdamAndProgressFeaturesMatchesTheFormulaOverSeveralBlocks() {
    MlpLopt arch = new MlpLopt(4, 1, 1, 0.001, 100, true, true, 1, 0);
    ParamLayout layout = ParamLayout.builder().add("w", 5, 2 * MlpLoptOptimizer.BLOCK + 37).add("b", 70)
        .add("huge", 40).build();
    int n = layout.size();
    int total = 10;
    float[] th = arch.initialMetaParams(7);
    new java.util.SplittableRandom(3).doubles(th.length, -0.3, 0.3).forEach(new java.util.function.DoubleConsumer() {
      int i;

      @Override
      public void accept(double v) {
        th[i++] += (float) v; // move off the structured θ0 so that every weight matters
      }
    });
    ParamLayout meta = arch.metaLayout();
    Optimizer opt = arch.create(th, layout, total);
    float[] w = new float[n];
    double[] ref = new double[n];
    double[][] m = new double[6][n];
    double[] v = new double[n];
    for (int t = 0; t < 4; t++) {
      float[] g = new float[n];
      for (int i = 0; i < n; i++) {
        g[i] = (float) (Math.sin(1.3 * i + t) * Math.pow(10, (i % 5) - 3));
      }
      g[11] = Float.NaN;
      g[400] = Float.POSITIVE_INFINITY;
      for (int i = layout.tensor("huge").offset(); i < n; i++) {
        g[i] = (float) (Math.cos(i + t) * 1e30);
      }
      opt.step(w, g);
      double[] before = ref.clone();
      double frac = Math.min(1.0, t / (double) total);
      double negLog = -Math.log(Math.max(1 - frac, 1.0 / total));
      for (TensorSpec ts : layout.tensors()) {
        int len = ts.size();
        double[][] feat = new double[8][len];
        for (int i = ts.offset(); i < ts.end(); i++) {
          double gi = Float.isFinite(g[i]) ? g[i] : 0;
          feat[0][i - ts.offset()] = gi;
          feat[1][i - ts.offset()] = before[i];
          for (int d = 0; d < 6; d++) {
            m[d][i] = (float) (MlpLopt.DECAYS[d] * m[d][i] + (1 - MlpLopt.DECAYS[d]) * gi);
            feat[2 + d][i - ts.offset()] = m[d][i];
          }
          v[i] = (float) (MlpLopt.ADAM_BETA2 * v[i] + (1 - MlpLopt.ADAM_BETA2) * (float) (gi * gi));
        }
        for (double[] f : feat) {
          double ms = 0;
          for (double x : f) {
            ms += x * x / f.length;
          }
          for (int i = 0; i < f.length; i++) {
            f[i] /= Math.sqrt(1e-5 + ms);
          }
        }
        for (int i = 0; i < len; i++) {
          int o = ts.offset() + i;
          double[] x = new double[arch.features()];
          for (int k = 0; k < 8; k++) {
            x[k] = feat[k][i];
          }
          double vHat = v[o] / (1 - Math.pow(MlpLopt.ADAM_BETA2, t + 1));
          for (int k = 0; k < 3; k++) {
            double d = MlpLopt.DECAYS[MlpLopt.ADAM_DECAYS[k]];
            x[8 + k] = m[MlpLopt.ADAM_DECAYS[k]][o] / (1 - Math.pow(d, t + 1)) / (Math.sqrt(vHat) + 1e-8);
          }
          for (int e = 0; e < 11; e++) {
            x[11 + e] = Math.tanh(t / (double) MlpLopt.TIMESCALES[e] - 1);
          }
          x[22] = frac;
          x[23] = negLog;
          x = affine(th, meta.tensor("mlp0.weight").offset(), meta.tensor("mlp0.bias").offset(), 4, x);
          for (int j = 0; j < x.length; j++) {
            x[j] = Math.max(0, x[j]);
          }
          double[] out = affine(th, meta.tensor("out.weight").offset(), meta.tensor("out.bias").offset(), 2, x);
          ref[o] = before[o] - out[0] * Math.exp(Math.max(-60, Math.min(60, out[1]))) * 0.001;
        }
      }
      for (int i = 0; i < n; i++) {
        assertEquals(ref[i], w[i], 1e-5 * Math.max(1, Math.abs(ref[i])), "step " + t + " coordinate " + i);
      }
    }
  }

  @Test
  void l2oDmAndRnnPropMatchTheCoordinatewiseLstm() {
    for (LearnedOptimizer arch : new LearnedOptimizer[] {L2oDm.defaults(), RnnProp.defaults()}) {
      boolean dm = arch instanceof L2oDm;
      float[] th = arch.initialMetaParams(9);
      ParamLayout meta = arch.metaLayout();
      Optimizer opt = arch.create(th, LAYOUT, 0);
      float[] w = new float[N];
      float[] ref = new float[N];
      double[][][] state = new double[N][4][20];
      double[] m = new double[N];
      double[] v = new double[N];
      for (int t = 1; t <= STEPS; t++) {
        float[] g = grad(t);
        opt.step(w, g);
        for (int i = 0; i < N; i++) {
          double[] x;
          if (dm) {
            x = new double[] {Math.max(-1, Math.log(Math.abs(g[i]) + Math.ulp(1f)) / 5),
                Math.max(-1, Math.min(1, g[i] * Math.exp(5)))};
          } else {
            m[i] = 0.95 * m[i] + 0.05 * g[i];
            v[i] = 0.95 * v[i] + 0.05 * g[i] * g[i];
            double denom = Math.sqrt(v[i] / (1 - Math.pow(0.95, t))) + 1e-8;
            x = affine(th, meta.tensor("in.weight").offset(), meta.tensor("in.bias").offset(), 20,
                new double[] {m[i] / (1 - Math.pow(0.95, t)) / denom, g[i] / denom});
            for (int j = 0; j < 20; j++) {
              x[j] = x[j] > 0 ? x[j] : Math.expm1(x[j]);
            }
          }
          double[] h1 = lstm(th, meta, "lstm1", x, state[i][0], state[i][1]);
          double[] h2 = lstm(th, meta, "lstm2", h1, state[i][2], state[i][3]);
          double o = affine(th, meta.tensor("out.weight").offset(), meta.tensor("out.bias").offset(), 1, h2)[0];
          ref[i] += (float) (dm ? 0.01 * o : 0.1 * Math.tanh(o));
        }
        compare(arch.architecture() + " step " + t, opt, ref, w, 1e-5);
      }
    }
  }
}
