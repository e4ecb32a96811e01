package org.metaopt.core.lopt.celo2;

import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.metaopt.core.lopt.LearnedUpdate;
import org.metaopt.core.optim.Adam;
import org.metaopt.core.tensor.ParamLayout;

/**
 * Wall time per celo2 step against an Adam step on MLP layouts (784-128-10 and 49-32-10), ns on and off. Skipped
 * unless {@code -Dcelo2.timing=true}: {@code mvn -o -q -pl core test -Dtest=Celo2StepTiming -Dcelo2.timing=true}.
 * Compare the ratios of one run (shared machines are noisy).
 */
class Celo2StepTiming {
  @Test
  void timeSteps() {
    Assumptions.assumeTrue(Boolean.getBoolean("celo2.timing"));
    int[][] nets = {{784, 128, 10}, {49, 32, 10}};
    for (int[] net : nets) {
      ParamLayout.Builder b = ParamLayout.builder();
      for (int l = 0; l + 1 < net.length; l++) {
        b.add("l" + l + ".weight", net[l], net[l + 1]).add("l" + l + ".bias", net[l + 1]);
      }
      ParamLayout layout = b.build();
      int n = layout.size();
      Random r = new Random(1);
      float[] p = new float[n];
      float[][] gs = new float[4][n];
      for (int i = 0; i < n; i++) {
        p[i] = (float) (r.nextGaussian() * 0.05);
        for (float[] g : gs) {
          g[i] = (float) (r.nextGaussian() * 1e-2);
        }
      }
      int iters = n > 50_000 ? 60 : 2000;
      double adam = time(new AdamUpdate(n), p.clone(), gs, iters);
      for (boolean ns : new boolean[] {true, false}) {
        for (boolean simd : new boolean[] {true, false}) {
          Celo2 arch = Celo2.fromHyperparameters(Map.of("ns", ns));
          LearnedUpdate opt = new Celo2Optimizer(arch, arch.initialMetaParams(1), layout, 100_000,
              simd && org.metaopt.core.lopt.Simd.ENABLED);
          double ms = time(opt::step, p.clone(), gs, iters);
          System.out.printf(Locale.ROOT,
              "celo2 %s n=%d ns=%s simd=%s: %.3f ms/step, adam %.3f ms/step, ratio %.1f%n",
              java.util.Arrays.toString(net), n, ns, simd, ms, adam, ms / adam);
        }
      }
    }
  }

  private interface Stepper {
    void step(float[] p, float[] g);
  }

  private static final class AdamUpdate implements Stepper {
    private final Adam adam;

    AdamUpdate(int n) {
      adam = new Adam(Adam.Config.defaults(1e-3), n);
    }

    @Override
    public void step(float[] p, float[] g) {
      adam.step(p, g);
    }
  }

  private static double time(Stepper s, float[] p, float[][] gs, int iters) {
    for (int i = 0; i < iters; i++) {
      s.step(p, gs[i % gs.length]);
    }
    double best = Double.MAX_VALUE;
    for (int rep = 0; rep < 5; rep++) {
      long t0 = System.nanoTime();
      for (int i = 0; i < iters; i++) {
        s.step(p, gs[i % gs.length]);
      }
      best = Math.min(best, (System.nanoTime() - t0) / 1e6 / iters);
    }
    return best;
  }
}
