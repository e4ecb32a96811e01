package org.metaopt.core.lopt.hrnn;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.metaopt.core.lopt.Simd;
import org.metaopt.core.lopt.SimdEquivalence;
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
