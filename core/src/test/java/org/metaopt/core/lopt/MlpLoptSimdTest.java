package org.metaopt.core.lopt;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

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
    assertTrue(Simd.ENABLED, Simd.describe());
  }

  @Test
  void shippedShapeIsBitIdentical() {
    assertSameBits(new MlpLopt(4, 1, 1, 0.001, 100, true, true, 1));
  }

  @Test
  void genericKernelWithoutAdamFeaturesIsBitIdentical() {
    assertSameBits(MlpLopt.defaults());
  }

  @Test
  void genericKernelWithAnOddUnitCountIsBitIdentical() {
    assertSameBits(new MlpLopt(5, 2, 1, 0.001, 100, true, false, 0));
  }

  private static void assertSameBits(MlpLopt arch) {
    float[] theta = arch.initialMetaParams(5);
    SplittableRandom r = new SplittableRandom(11);
    for (int i = 0; i < theta.length; i++) {
      theta[i] += (float) r.nextDouble(-0.3, 0.3); // off the structured θ0, so that every weight matters
    }
    int total = 40;
    MlpLoptOptimizer plain = new MlpLoptOptimizer(arch, theta.clone(), LAYOUT, total, false);
    MlpLoptOptimizer simd = new MlpLoptOptimizer(arch, theta.clone(), LAYOUT, total, true);
    int n = LAYOUT.size();
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = (float) r.nextGaussian() * 0.1f;
    }
    float[] b = a.clone();
    float[] start = a.clone();
    int huge = LAYOUT.tensor("huge").offset();
    for (int t = 0; t < total; t++) {
      float[] g = new float[n];
      for (int i = 0; i < huge; i++) {
        // exact zeros (their momenta decay towards the flush), tiny and ordinary magnitudes
        g[i] = i % 7 == 0 ? 0f : (float) (r.nextGaussian() * Math.pow(10, (i % 5) - 4));
      }
      for (int i = huge; i < n; i++) {
        g[i] = (float) (r.nextGaussian() * 1e30);
      }
      if (t % 3 == 1) {
        g[5] = Float.NaN;
        g[2 * MlpLoptOptimizer.BLOCK + 1] = Float.NEGATIVE_INFINITY;
      }
      plain.step(a, g.clone());
      simd.step(b, g.clone());
      for (int i = 0; i < n; i++) {
        if (Float.floatToRawIntBits(a[i]) != Float.floatToRawIntBits(b[i])) {
          fail("step " + t + ", coordinate " + i + ": plain " + a[i] + ", SIMD " + b[i] + " (" + arch.hyperparameters()
              + ")");
        }
      }
    }
    int moved = 0;
    for (int i = 0; i < n; i++) {
      moved += b[i] != start[i] ? 1 : 0;
    }
    assertTrue(moved > n / 2, "the optimizer moved only " + moved + " of " + n + " parameters");
  }
}
