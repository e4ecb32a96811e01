package org.metaopt.core.lopt.hrnn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.metaopt.core.lopt.hrnn.HrnnTheta.F;
import static org.metaopt.core.lopt.hrnn.HrnnTheta.SCALES;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The vectorized block kernel against a plain per-coordinate transcription of its formulas (in double). */
class ParamBlockKernelTest {

  @Test
  void blocksMatchAPerCoordinateReference() {
    check(HrnnTheta.DEFAULT);
  }

  @Test
  void aSmallerGruWithAttentionMatchesThePerCoordinateReference() {
    check(new HrnnTheta(4, 7, 5, true));
  }

  private static void check(HrnnTheta cfg) {
    final int n = 2 * ParamBlockKernel.BLOCK + 277; // two full blocks and a partial one
    SplittableRandom rng = new SplittableRandom(11);
    final int P = cfg.p;
    float[] th = cfg.initial(3);
    for (int i = cfg.outDir; i < cfg.outLrB + 1; i++) {
      th[i] += (float) (rng.nextGaussian() * 0.3); // non-zero learning-rate readout
    }
    if (cfg.attention) {
      for (int i = 0; i < P + SCALES; i++) {
        th[cfg.outAttention + i] += (float) (rng.nextGaussian() * 0.3); // attention unlike the direction
      }
    }
    final int padded = ParamBlockKernel.padded(n); // as the stepper
    float[][] h = new float[P][padded];
    float[][] avg = new float[SCALES][padded];
    float[][] ms = new float[SCALES][padded];
    float[] logLr = new float[padded];
    float[] grad = new float[n];
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < P; k++) {
        h[k][i] = (float) (rng.nextDouble() * 2 - 1);
      }
      double scale = Math.pow(10, rng.nextDouble() * 16 - 10);
      for (int s = 0; s < SCALES; s++) {
        ms[s][i] = (float) (scale * scale * rng.nextDouble() * 2);
        // mostly |a / sqrt(m)| < 2 (the series), some far beyond (the scalar fallback)
        double ratio = i % 7 == 0 ? (rng.nextDouble() * 2 - 1) * 1e3 : rng.nextGaussian();
        avg[s][i] = (float) (ratio * Math.sqrt(ms[s][i]));
      }
      logLr[i] = (float) (rng.nextDouble() * 10 - 7);
      grad[i] = (float) (rng.nextGaussian() * scale);
    }
    grad[3] = Float.NaN;
    grad[600] = Float.POSITIVE_INFINITY;
    grad[601] = -1e30f;
    grad[n - 1] = 0f;
    float[] avgDecay = {0.9f, 0.95f, 0.97f, 0.985f};
    float[] msDecay = {0.96f, 0.98f, 0.99f, 0.995f};
    float[] bias = new float[3 * P];
    for (int j = 0; j < 3 * P; j++) {
      bias[j] = th[cfg.pB + j] + (float) rng.nextGaussian() * 0.2f;
    }
    float meanLogLr = -2.5f;
    float lrMomentum = 0.9f;
    float c = -1.2f;

    float[][] h0 = copy(h);
    float[][] avg0 = copy(avg);
    float[][] ms0 = copy(ms);
    float[] logLr0 = logLr.clone();
    float[] dRaw = new float[padded];
    float[] stepSize = new float[padded];
    float[] aRaw = cfg.attention ? new float[padded] : null;
    ParamBlockKernel kernel = new ParamBlockKernel(cfg, th, h, avg, ms, logLr, dRaw, stepSize, aRaw);
    kernel.beginTensor();
    for (int b = 0; b < n; b += ParamBlockKernel.BLOCK) {
      kernel.block(grad, b, b, Math.min(ParamBlockKernel.BLOCK, n - b), avgDecay, msDecay, meanLogLr, bias,
          lrMomentum, c);
    }
    double[] sums = new double[ParamBlockKernel.sumCount(cfg)];
    kernel.tensorSums(sums);

    double[] refSums = new double[sums.length];
    double[] x = new double[F];
    for (int i = 0; i < n; i++) {
      double g = Float.isFinite(grad[i]) ? Math.max(-1e18, Math.min(1e18, grad[i])) : 0;
      double lmMean = 0;
      for (int s = 0; s < SCALES; s++) {
        double a = avgDecay[s] * (double) avg0[s][i] + (1 - avgDecay[s]) * g;
        double m = msDecay[s] * (double) ms0[s][i] + (1 - msDecay[s]) * g * g;
        assertClose(a, avg[s][i], 1e-6 * (Math.abs(avg0[s][i]) + Math.abs(g)), "avg");
        assertClose(m, ms[s][i], 1e-6 * m, "ms");
        double z = Math.max(-1e6, Math.min(1e6, a / Math.sqrt(m + 1e-16)));
        x[s] = Math.signum(z) * Math.log(Math.abs(z) + Math.sqrt(z * z + 1));
        x[2 * SCALES - 1 + s] = Math.log(m + 1e-16);
        lmMean += x[2 * SCALES - 1 + s] / SCALES;
      }
      for (int s = 0; s < SCALES; s++) {
        x[2 * SCALES - 1 + s] -= lmMean;
      }
      for (int s = 0; s < SCALES - 1; s++) {
        x[SCALES + s] = x[s] * x[s + 1];
      }
      x[F - 1] = logLr0[i] - meanLogLr;
      double[] gates = new double[3 * P];
      for (int j = 0; j < 2 * P; j++) {
        double pre = bias[j] + dot(th, cfg.pWx + j * F, x) + dotH(P, th, cfg.pWh + j * P, h0, i, null);
        gates[j] = 1 / (1 + Math.exp(-pre));
      }
      double[] hn = new double[P];
      double dir = 0;
      double dirMagnitude = 0;
      double delta = th[cfg.outLrB];
      for (int j = 0; j < P; j++) {
        int row = 2 * P + j;
        double pre = bias[row] + dot(th, cfg.pWx + row * F, x) + dotH(P, th, cfg.pWh + row * P, h0, i, gates);
        double u = gates[P + j];
        hn[j] = u * h0[j][i] + (1 - u) * Math.tanh(pre);
        assertClose(hn[j], h[j][i], 2e-5, "h");
        refSums[j] += hn[j];
        dir += th[cfg.outDir + j] * hn[j];
        dirMagnitude += Math.abs(th[cfg.outDir + j] * hn[j]);
        delta += th[cfg.outLrW + j] * hn[j];
      }
      for (int s = 0; s < SCALES; s++) {
        dir += th[cfg.outShortcut + s] * x[s];
        dirMagnitude += Math.abs(th[cfg.outShortcut + s] * x[s]);
      }
      for (int k = 0; k < F; k++) {
        refSums[P + k] += x[k];
      }
      double step = Math.max(-33, Math.min(33, logLr0[i] + delta));
      double next = lrMomentum * logLr0[i] + (1 - lrMomentum) * step;
      assertClose(dir, dRaw[i], 2e-5 * Math.max(1, dirMagnitude), "direction");
      assertClose(next, logLr[i], 2e-5 * Math.max(1, Math.abs(next)), "log lr");
      assertClose(Math.exp(step + c), stepSize[i], 5e-5 * Math.exp(step + c), "step size");
      refSums[P + F] += dir * dir;
      refSums[P + F + 1] += next;
      if (cfg.attention) {
        double att = 0;
        double attMagnitude = 0;
        for (int j = 0; j < P; j++) {
          att += th[cfg.outAttention + j] * hn[j];
          attMagnitude += Math.abs(th[cfg.outAttention + j] * hn[j]);
        }
        for (int s = 0; s < SCALES; s++) {
          att += th[cfg.outAttentionShortcut + s] * x[s];
          attMagnitude += Math.abs(th[cfg.outAttentionShortcut + s] * x[s]);
        }
        assertClose(att, aRaw[i], 2e-5 * Math.max(1, attMagnitude), "attention direction");
        refSums[P + F + 2] += att * att;
      }
    }
    for (int q = 0; q < refSums.length; q++) {
      assertEquals(refSums[q], sums[q], 1e-4 * n, "tensor sum " + q);
    }
  }

  private static double dot(float[] th, int off, double[] x) {
    double s = 0;
    for (int k = 0; k < x.length; k++) {
      s += th[off + k] * x[k];
    }
    return s;
  }

  /** {@code W_h h} at coordinate i, with h reset-gated when {@code resetGates} is given. */
  private static double dotH(int P, float[] th, int off, float[][] h, int i, double[] resetGates) {
    double s = 0;
    for (int k = 0; k < P; k++) {
      s += th[off + k] * h[k][i] * (resetGates == null ? 1 : resetGates[k]);
    }
    return s;
  }

  /** {@code |want - got| <= tol}, tol absolute (callers scale it by the magnitude of the terms). */
  private static void assertClose(double want, float got, double tol, String what) {
    assertTrue(Float.isFinite(got), what + " not finite");
    assertEquals(want, got, tol, what);
  }

  private static float[][] copy(float[][] a) {
    float[][] c = new float[a.length][];
    for (int i = 0; i < a.length; i++) {
      c[i] = a[i].clone();
    }
    return c;
  }
}
