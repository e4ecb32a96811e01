package org.metaopt.core.lopt;

import org.metaopt.core.kernel.Simd;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.metaopt.core.tensor.ParamLayout;

/**
 * The SIMD kernels of {@code mlp-lopt} ({@link MlpLoptSimd}) against its plain loops: the same bits after every
 * step, for the shipped 4-unit shape (its own kernel) and for the generic kernel (2 layers of 32 without Adam
 * features; 5 units, which leaves a remainder after the groups of four, with them), over tensors that end inside a
 * chunk and span several blocks, with gradients from 0 to 1e30 (the sums' double path) and non-finite entries.
 */
class MlpLoptSimdTest {
  private static final ParamLayout LAYOUT = ParamLayout.builder()
      .add("w", 3, 2 * MlpLoptOptimizer.BLOCK + 37).add("b", 70).add("tiny", 3).add("odd", 17)
      .add("huge", 40).build();

  @Test
  void theModuleIsThereInTests() {
    assertTrue(Simd.moduleAvailable(), "surefire starts the test JVM with --add-modules jdk.incubator.vector");
    assertTrue(Simd.ENABLED, "the SIMD kernels are on unless -D" + Simd.PROPERTY + "=false");
  }

  @Test
  void shippedShapeIsBitIdentical() {
    assertSameBits(new MlpLopt(4, 1, 1, 0.001, 100, true, true, 1, 0));
  }

  @Test
  void widthAwareStepIsBitIdentical() {
    assertSameBits(new MlpLopt(4, 1, 1, 0.001, 100, true, true, 1, 24));
  }

  @Test
  void genericKernelWithoutAdamFeaturesIsBitIdentical() {
    assertSameBits(MlpLopt.defaults());
  }

  @Test
  void genericKernelWithAnOddUnitCountIsBitIdentical() {
    assertSameBits(new MlpLopt(5, 2, 1, 0.001, 100, true, false, 0, 0));
  }

  private static void assertSameBits(MlpLopt arch) {
    SplittableRandom r = new SplittableRandom(11);
    float[] theta = SimdEquivalence.perturbed(arch.initialMetaParams(5), 0.3, r);
    int total = 40;
    int huge = LAYOUT.tensor("huge").offset();
    SimdEquivalence.assertSameTrajectory(new MlpLoptOptimizer(arch, theta.clone(), LAYOUT, total, false),
        new MlpLoptOptimizer(arch, theta.clone(), LAYOUT, total, true), LAYOUT.size(), total, (t, n, rng) -> {
          float[] g = new float[n];
          for (int i = 0; i < huge; i++) {
            // exact zeros (their momenta decay towards the flush), tiny and ordinary magnitudes
            g[i] = i % 7 == 0 ? 0f : (float) (rng.nextGaussian() * Math.pow(10, (i % 5) - 4));
          }
          for (int i = huge; i < n; i++) {
            g[i] = (float) (rng.nextGaussian() * 1e30);
          }
          if (t % 3 == 1) {
            g[5] = Float.NaN;
            g[2 * MlpLoptOptimizer.BLOCK + 1] = Float.NEGATIVE_INFINITY;
          }
          return g;
        }, r);
  }
}
