package org.metaopt.core.lopt.hrnn;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.metaopt.core.lopt.Simd;
import org.metaopt.core.tensor.ParamLayout;

/**
 * The hierarchical RNN with its SIMD kernels ({@code SimdLoops}) against its plain loops: the same bits after every
 * step and at every look-ahead point, for the shipped 10-unit shape and a 4-unit one with attention, over tensors
 * that end inside a SIMD chunk and span several blocks, with gradients from 0 to 1e30 and non-finite entries.
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

  private static void assertSameBits(HrnnTheta cfg) {
    assertTrue(Simd.moduleAvailable(), "surefire starts the test JVM with --add-modules jdk.incubator.vector");
    SplittableRandom r = new SplittableRandom(17);
    float[] theta = cfg.initial(3);
    for (int i = 0; i < theta.length; i++) {
      theta[i] += (float) (r.nextGaussian() * 0.05); // off θ0, so that every weight matters
    }
    int total = 25;
    HrnnStepper plain = new HrnnStepper(cfg, theta, LAYOUT, total, false);
    HrnnStepper simd = new HrnnStepper(cfg, theta, LAYOUT, total, true);
    int n = LAYOUT.size();
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = (float) r.nextGaussian() * 0.1f;
    }
    float[] b = a.clone();
    float[] start = a.clone();
    float[] pointA = new float[n];
    float[] pointB = new float[n];
    for (int t = 0; t < total; t++) {
      float[] g = new float[n];
      for (int i = 0; i < n; i++) {
        g[i] = i % 7 == 0 ? 0f : (float) (r.nextGaussian() * Math.pow(10, (i % 9) - 6));
      }
      g[n - 5] = 1e30f;
      if (t % 3 == 1) {
        g[5] = Float.NaN;
        g[ParamBlockKernel.BLOCK + 1] = Float.NEGATIVE_INFINITY;
      }
      plain.step(a, g.clone());
      simd.step(b, g.clone());
      same("step " + t, a, b);
      plain.gradientPoint(a, pointA);
      simd.gradientPoint(b, pointB);
      same("look-ahead after step " + t, pointA, pointB);
    }
    int moved = 0;
    for (int i = 0; i < n; i++) {
      moved += b[i] != start[i] ? 1 : 0;
    }
    assertTrue(moved > n / 2, "the optimizer moved only " + moved + " of " + n + " parameters");
  }

  private static void same(String what, float[] a, float[] b) {
    for (int i = 0; i < a.length; i++) {
      if (Float.floatToRawIntBits(a[i]) != Float.floatToRawIntBits(b[i])) {
        fail(what + ", coordinate " + i + ": plain " + a[i] + ", SIMD " + b[i]);
      }
    }
  }
}
