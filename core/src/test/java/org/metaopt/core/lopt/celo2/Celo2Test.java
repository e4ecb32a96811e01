package org.metaopt.core.lopt.celo2;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.metaopt.core.UserError;
import org.metaopt.core.lopt.LearnedOptimizer;
import org.metaopt.core.lopt.registry.LearnedOptimizers;
import org.metaopt.core.lopt.LearnedUpdate;
import org.metaopt.core.tensor.ParamLayout;
import org.metaopt.core.tensor.TensorSpec;

/** celo2's θ layout, hyperparameters and their errors, the Newton–Schulz ablation, and what θ0 does. */
class Celo2Test {

  @Test
  void thetaHas347NumbersInNamedBlocksAtHidden8x8() {
    LearnedOptimizer lo = LearnedOptimizers.create("celo2", Map.of());
    assertEquals(347, lo.numMetaParams());
    ParamLayout meta = lo.metaLayout();
    assertArrayEquals(new int[] {8, 30}, meta.tensor("mlp0.weight").shape());
    assertArrayEquals(new int[] {8}, meta.tensor("mlp0.bias").shape());
    assertArrayEquals(new int[] {8, 8}, meta.tensor("mlp1.weight").shape());
    assertArrayEquals(new int[] {8}, meta.tensor("mlp1.bias").shape());
    assertArrayEquals(new int[] {3, 8}, meta.tensor("out.weight").shape());
    assertArrayEquals(new int[] {3}, meta.tensor("out.bias").shape());
    assertEquals(16 * 30 + 16 + 3 * 16 + 3,
        LearnedOptimizers.create("celo2", Map.of("hidden", List.of(16))).numMetaParams());
  }

  @Test
  void hyperparametersHaveTheDocumentedDefaultsAndRoundTrip() {
    Map<String, Object> h = LearnedOptimizers.create("celo2", Map.of()).hyperparameters();
    assertEquals(Map.of("hidden", List.of(8, 8), "lr", 1e-3, "weightDecay", 0.0, "schedule", "cosine",
        "vectorLrMult", 20.0, "ns", true, "muScale", 0.0, "init", "momentum"), h);
    Map<String, Object> json = new HashMap<>(Map.of("hidden", List.of(16.0, 4.0), "lr", "0.02", "ns", "false",
        "schedule", "CONSTANT", "init", "random", "muScale", 128, "weightDecay", 0.1, "vectorLrMult", 5));
    Celo2Config c = Celo2.fromHyperparameters(json).config();
    assertEquals(new Celo2Config(List.of(16, 4), 0.02, 0.1, Celo2Config.Schedule.CONSTANT, 5, false, 128,
        Celo2Config.Init.RANDOM), c);
    assertEquals(c, Celo2Config.fromMap(c.toMap()));
  }

  @Test
  void rejectsBadHyperparametersNamingFieldValueAndRange() {
    assertMessage(Map.of("lr", 0), "'lr'", "(0, 10.0]", "got 0");
    assertMessage(Map.of("lr", "fast"), "'lr'", "must be a number", "fast");
    assertMessage(Map.of("weightDecay", -1), "'weightDecay'", "[0, 10.0]", "got -1");
    assertMessage(Map.of("vectorLrMult", Double.NaN), "'vectorLrMult'", "(0, 10000.0]", "NaN");
    assertMessage(Map.of("muScale", -2), "'muScale'", "[0, 1000000.0]", "-2");
    assertMessage(Map.of("hidden", List.of(8, 1)), "'hidden'", "[2, 1024]", "[8, 1]");
    assertMessage(Map.of("hidden", List.of()), "'hidden'", "1 to 8", "[]");
    assertMessage(Map.of("hidden", List.of(8.5)), "'hidden'", "integer", "8.5");
    assertMessage(Map.of("schedule", "linear"), "'schedule'", "cosine, constant", "linear");
    assertMessage(Map.of("init", "zeros"), "'init'", "momentum, random", "zeros");
    assertMessage(Map.of("ns", "maybe"), "'ns'", "true or false", "maybe");
    assertMessage(Map.of("beta1", 0.9), "unknown hyperparameter 'beta1'", "hidden, init, lr, muScale, ns");
  }

  private static void assertMessage(Map<String, Object> h, String... parts) {
    UserError e = assertThrows(UserError.class, () -> LearnedOptimizers.create("celo2", h));
    for (String part : parts) {
      assertTrue(e.getMessage().contains(part), "'" + part + "' not in: " + e.getMessage());
    }
  }

  @Test
  void newtonSchulzOffChangesOnlyTheMatrices() {
    ParamLayout layout = ParamLayout.builder().add("w", 5, 3).add("b", 3).add("conv", 2, 3, 2, 2).add("c", 2)
        .build();
    Celo2 on = Celo2.fromHyperparameters(Map.of("lr", 0.05));
    Celo2 off = Celo2.fromHyperparameters(Map.of("lr", 0.05, "ns", false));
    float[] theta = on.initialMetaParams(2);
    assertArrayEquals(theta, off.initialMetaParams(2));
    LearnedUpdate a = on.create(theta, layout, 50);
    LearnedUpdate b = off.create(theta, layout, 50);
    float[] wa = new float[layout.size()];
    for (int i = 0; i < wa.length; i++) {
      wa[i] = (float) Math.sin(i);
    }
    float[] wb = wa.clone();
    for (int t = 0; t < 10; t++) {
      float[] g = new float[wa.length];
      for (int i = 0; i < g.length; i++) {
        g[i] = (float) Math.cos(0.9 * i + t) + 0.5f * wa[i]; // the same gradient for both runs
      }
      a.step(wa, g.clone());
      b.step(wb, g.clone());
      for (TensorSpec ts : layout.tensors()) {
        boolean same = true;
        for (int i = ts.offset(); i < ts.end(); i++) {
          same &= wa[i] == wb[i];
        }
        assertEquals(ts.shape().length == 1, same, "step " + t + " tensor " + ts.name());
      }
    }
  }

  /** Linear regression {@code Y = X W* + b*} with columns of X scaled over two decades: W [16, 4], b [4]. */
  static final class Regression {
    static final int N = 64;
    static final int IN = 16;
    static final int OUT = 4;
    final ParamLayout layout = ParamLayout.builder().add("weight", IN, OUT).add("bias", OUT).build();
    final double[][] x = new double[N][IN];
    final double[][] y = new double[N][OUT];

    Regression(long seed) {
      SplittableRandom rng = new SplittableRandom(seed);
      double[][] w = new double[IN][OUT];
      for (double[] row : w) {
        for (int o = 0; o < OUT; o++) {
          row[o] = rng.nextGaussian();
        }
      }
      for (int n = 0; n < N; n++) {
        for (int i = 0; i < IN; i++) {
          x[n][i] = rng.nextGaussian() * Math.pow(10, -i / (IN - 1.0));
        }
        for (int o = 0; o < OUT; o++) {
          y[n][o] = 0.5 * (o - 1.5);
          for (int i = 0; i < IN; i++) {
            y[n][o] += x[n][i] * w[i][o];
          }
        }
      }
    }

    /** {@code 1/(2N) Σ ‖x W + b − y‖²}, its gradient into {@code grad}. */
    double lossAndGradient(float[] p, float[] grad) {
      java.util.Arrays.fill(grad, 0f);
      double loss = 0;
      for (int n = 0; n < N; n++) {
        for (int o = 0; o < OUT; o++) {
          double r = p[IN * OUT + o] - y[n][o];
          for (int i = 0; i < IN; i++) {
            r += x[n][i] * p[i * OUT + o];
          }
          loss += r * r / (2 * N);
          for (int i = 0; i < IN; i++) {
            grad[i * OUT + o] += (float) (x[n][i] * r / N);
          }
          grad[IN * OUT + o] += (float) (r / N);
        }
      }
      return loss;
    }
  }

  static double train(Celo2 arch, long seed, int steps) {
    Regression task = new Regression(7);
    LearnedUpdate opt = arch.create(arch.initialMetaParams(seed), task.layout, steps);
    float[] p = new float[task.layout.size()];
    float[] g = new float[p.length];
    for (int t = 0; t < steps; t++) {
      task.lossAndGradient(p, g);
      opt.step(p, g);
    }
    return task.lossAndGradient(p, g);
  }

  @Test
  void momentumThetaZeroCutsARegressionLossHundredfoldIn200Steps() {
    Regression task = new Regression(7);
    double before = task.lossAndGradient(new float[task.layout.size()], new float[task.layout.size()]);
    Celo2 momentum = Celo2.fromHyperparameters(Map.of("lr", 0.03));
    Celo2 random = Celo2.fromHyperparameters(Map.of("lr", 0.03, "init", "random"));
    for (long seed = 1; seed <= 3; seed++) {
      double after = train(momentum, seed, 200);
      System.out.printf("celo2 regression seed %d: %.4f -> momentum θ0 %.3e, random θ0 %.3e%n", seed, before, after,
          train(random, seed, 200));
      assertTrue(after < 0.01 * before, "seed " + seed + ": loss " + before + " -> " + after);
    }
  }

  @Test
  void muScaleScalesOnlyHiddenMatrices() {
    ParamLayout layout = ParamLayout.builder().add("in", 4, 6).add("b0", 6).add("hid", 6, 6).add("b1", 6)
        .add("out", 6, 2).build();
    Celo2 plain = Celo2.fromHyperparameters(Map.of("lr", 0.01, "schedule", "constant"));
    Celo2 mu = Celo2.fromHyperparameters(Map.of("lr", 0.01, "schedule", "constant", "muScale", 3));
    float[] theta = plain.initialMetaParams(5);
    float[] w0 = new float[layout.size()];
    for (int i = 0; i < w0.length; i++) {
      w0[i] = (float) Math.cos(i);
    }
    float[] g = new float[w0.length];
    for (int i = 0; i < g.length; i++) {
      g[i] = (float) Math.sin(2 * i);
    }
    float[] a = w0.clone();
    float[] b = w0.clone();
    plain.create(theta, layout, 0).step(a, g.clone());
    mu.create(theta, layout, 0).step(b, g.clone());
    for (TensorSpec ts : layout.tensors()) {
      double ratio = ts.name().equals("hid") ? 3.0 / 6 : 1;
      for (int i = ts.offset(); i < ts.end(); i++) {
        assertEquals(ratio * (w0[i] - a[i]), w0[i] - b[i], 1e-6, ts.name() + " " + i);
      }
    }
    assertNotEquals(0f, w0[layout.tensor("hid").offset()] - a[layout.tensor("hid").offset()]);
  }
}
