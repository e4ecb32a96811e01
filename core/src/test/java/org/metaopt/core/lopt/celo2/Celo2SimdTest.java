package org.metaopt.core.lopt.celo2;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.metaopt.core.kernel.Simd;
import org.metaopt.core.tensor.ParamLayout;

/** {@link Celo2Simd} against the plain loops: the same parameters bit for bit, step after step. */
class Celo2SimdTest {

  @ParameterizedTest
  @CsvSource({"momentum, true", "random, true", "random, false", "momentum, false"})
  void simdAndPlainGiveTheSameBits(String init, boolean ns) {
    Assumptions.assumeTrue(Simd.ENABLED, "the Vector API module is not present");
    // widths below, at and above whole vectors, with and without a remainder; a conv kernel; vectors
    ParamLayout layout = ParamLayout.builder().add("a.weight", 40, 37).add("a.bias", 37).add("b.weight", 37, 64)
        .add("b.bias", 64).add("c.weight", 64, 5).add("conv", 3, 2, 3, 3).add("d.weight", 130, 16).build();
    Celo2 arch = Celo2.fromHyperparameters(Map.of("init", init, "ns", ns, "schedule", "constant", "lr", 0.01));
    float[] theta = arch.initialMetaParams(7);
    Celo2Optimizer simd = new Celo2Optimizer(arch, theta.clone(), layout, 0, true);
    Celo2Optimizer plain = new Celo2Optimizer(arch, theta.clone(), layout, 0, false);
    int n = layout.size();
    Random r = new Random(3);
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = (float) (r.nextGaussian() * 0.1);
    }
    float[] b = a.clone();
    float[] start = a.clone();
    for (int step = 0; step < 6; step++) {
      float[] g = new float[n];
      for (int i = 0; i < n; i++) {
        g[i] = (float) (r.nextGaussian() * (i % 11 == 0 ? 1e-6 : 1e-2));
      }
      g[5] = step == 2 ? Float.NaN : 2000f; // the clip and the non-finite rule
      simd.step(a, g.clone());
      plain.step(b, g.clone());
      assertArrayEquals(b, a, "step " + step);
    }
    boolean moved = false;
    for (int i = 0; i < n; i++) {
      moved |= a[i] != start[i];
    }
    assertTrue(moved);
  }
}
