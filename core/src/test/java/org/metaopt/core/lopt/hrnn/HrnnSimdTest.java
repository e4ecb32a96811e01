package org.metaopt.core.lopt.hrnn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.metaopt.core.kernel.Simd;
import org.metaopt.core.lopt.SimdEquivalence;
import org.metaopt.core.tensor.ParamLayout;

/**
 * The hierarchical RNN with its SIMD kernel ({@link HrnnSimd}) against its plain loops: the same bits after every
 * step and at every look-ahead point, for the shipped 10-unit shape and a 4-unit one with attention, over tensors
 * that end inside a SIMD chunk and span several blocks, with gradients from 0 to 1e30 and non-finite entries; and
 * one kernel pass from states no run reaches in a few steps (mean squares from 1e-20 to 1e12, scaled averages far
 * beyond the asinh series' range, GRU states near ±1, log learning rates near their clamp).
 */
class HrnnSimdTest {
  private static final ParamLayout LAYOUT = ParamLayout.builder()
      .add("w", 3, ParamBlockKernel.BLOCK + 101).add("b", 70).add("tiny", 3).add("odd", 17).build();

  @Test
  void shippedShapeIsBitIdentical() {
    assertSameBits(HrnnTheta.DEFAULT);
  }

  @Test
  void smallerGruWithAttentionIsBitIdentical() {
    assertSameBits(new HrnnTheta(4, 7, 5, true));
  }

  @Test
  void extremeStatesGiveTheSameBitsInOneKernelPass() {
    assertTrue(Simd.moduleAvailable(), "surefire starts the test JVM with --add-modules jdk.incubator.vector");
    for (HrnnTheta cfg : new HrnnTheta[] {HrnnTheta.DEFAULT, new HrnnTheta(4, 7, 5, true)}) {
      final int n = 2 * ParamBlockKernel.BLOCK + 277; // two full blocks and a partial one, ending inside a chunk
      final int padded = ParamBlockKernel.padded(n);
      SplittableRandom r = new SplittableRandom(23);
      float[] th = SimdEquivalence.perturbed(cfg.initial(5), 0.3, r);
      float[][] h = new float[cfg.p][padded];
      float[][] avg = new float[HrnnTheta.SCALES][padded];
      float[][] ms = new float[HrnnTheta.SCALES][padded];
      float[] logLr = new float[padded];
      float[] grad = new float[n];
      for (int i = 0; i < n; i++) {
        for (int k = 0; k < cfg.p; k++) {
          h[k][i] = (float) (i % 11 == 0 ? Math.signum(r.nextDouble() - 0.5) * (1 - 1e-7) : r.nextDouble() * 2 - 1);
        }
        double scale = Math.pow(10, r.nextDouble() * 16 - 10);
        for (int s = 0; s < HrnnTheta.SCALES; s++) {
          ms[s][i] = (float) (scale * scale * r.nextDouble() * 2);
          double ratio = i % 7 == 0 ? (r.nextDouble() * 2 - 1) * 1e3 : r.nextGaussian();
          avg[s][i] = (float) (ratio * Math.sqrt(ms[s][i]));
        }
        logLr[i] = (float) (i % 13 == 0 ? 32.9 : r.nextDouble() * 10 - 7);
        grad[i] = (float) (r.nextGaussian() * scale * (i % 17 == 0 ? 1e8 : 1));
      }
      grad[3] = Float.NaN;
      grad[600] = Float.POSITIVE_INFINITY;
      grad[601] = -1e30f;
      float[] bias = new float[3 * cfg.p];
      for (int j = 0; j < bias.length; j++) {
        bias[j] = th[cfg.pB + j] + (float) r.nextGaussian();
      }
      float[][] plainSums = pass(cfg, th, h, avg, ms, logLr, grad, bias, false);
      float[][] simdSums = pass(cfg, th, h, avg, ms, logLr, grad, bias, true);
      for (int q = 0; q < plainSums.length; q++) {
        for (int i = 0; i < Math.min(n, plainSums[q].length); i++) {
          assertEquals(Float.floatToRawIntBits(plainSums[q][i]), Float.floatToRawIntBits(simdSums[q][i]),
              "p=" + cfg.p + ": output " + q + ", coordinate " + i);
        }
      }
    }
  }

  /**
   * One pass of the kernel over copies of the state; returns every state and output row after it (the new GRU
   * states, averages, mean squares, log learning rates, raw directions, step sizes, attention) and the tensor sums.
   */
  private static float[][] pass(HrnnTheta cfg, float[] th, float[][] h0, float[][] avg0, float[][] ms0,
      float[] logLr0, float[] grad, float[] bias, boolean simd) {
    final int padded = logLr0.length;
    float[][] h = copy(h0);
    float[][] avg = copy(avg0);
    float[][] ms = copy(ms0);
    float[] logLr = logLr0.clone();
    float[] dRaw = new float[padded];
    float[] stepSize = new float[padded];
    float[] aRaw = cfg.attention ? new float[padded] : null;
    ParamBlockKernel kernel = new ParamBlockKernel(cfg, th, h, avg, ms, logLr, dRaw, stepSize, aRaw, simd);
    kernel.beginTensor();
    final int n = grad.length;
    float[] avgDecay = {0.9f, 0.95f, 0.97f, 0.985f};
    float[] msDecay = {0.96f, 0.98f, 0.99f, 0.995f};
    for (int b = 0; b < n; b += ParamBlockKernel.BLOCK) {
      kernel.block(grad, b, b, Math.min(ParamBlockKernel.BLOCK, n - b), avgDecay, msDecay, -2.5f, bias, 0.9f,
          -1.2f);
    }
    double[] sums = new double[ParamBlockKernel.sumCount(cfg)];
    kernel.tensorSums(sums);
    java.util.List<float[]> rows = new java.util.ArrayList<>(java.util.List.of(h));
    rows.addAll(java.util.List.of(avg));
    rows.addAll(java.util.List.of(ms));
    rows.add(logLr);
    rows.add(dRaw);
    rows.add(stepSize);
    if (aRaw != null) {
      rows.add(aRaw);
    }
    float[] s = new float[sums.length];
    for (int q = 0; q < sums.length; q++) {
      s[q] = (float) sums[q];
      assertEquals(sums[q], sums[q], "finite tensor sum " + q); // not NaN
    }
    rows.add(s);
    return rows.toArray(new float[0][]);
  }

  private static float[][] copy(float[][] a) {
    float[][] c = new float[a.length][];
    for (int i = 0; i < a.length; i++) {
      c[i] = a[i].clone();
    }
    return c;
  }

  private static void assertSameBits(HrnnTheta cfg) {
    assertTrue(Simd.moduleAvailable(), "surefire starts the test JVM with --add-modules jdk.incubator.vector");
    SplittableRandom r = new SplittableRandom(17);
    float[] theta = SimdEquivalence.perturbed(cfg.initial(3), 0.1, r);
    int total = 25;
    SimdEquivalence.assertSameTrajectory(new HrnnStepper(cfg, theta, LAYOUT, total, false),
        new HrnnStepper(cfg, theta, LAYOUT, total, true), LAYOUT.size(), total, (t, n, rng) -> {
          float[] g = new float[n];
          for (int i = 0; i < n; i++) {
            g[i] = i % 7 == 0 ? 0f : (float) (rng.nextGaussian() * Math.pow(10, (i % 9) - 6));
          }
          g[n - 5] = 1e30f;
          if (t % 3 == 1) {
            g[5] = Float.NaN;
            g[ParamBlockKernel.BLOCK + 1] = Float.NEGATIVE_INFINITY;
          }
          return g;
        }, r);
  }
}
