package org.metaopt.core.lopt;

import org.metaopt.core.lopt.registry.LearnedOptimizers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.metaopt.core.UserError;
import org.metaopt.core.optim.Optimizer;
import org.metaopt.core.task.Batch;
import org.metaopt.core.task.quadratic.QuadraticTask;

/** mlp-lopt's options beyond the reference: Adam features, the progress feature and the decaying initial θ. */
class MlpLoptOptionsTest {
  static final Map<String, Object> OPTIONS = Map.of("adamFeatures", 1, "progressFeatures", 1, "initDecay", 1,
      "expMult", 1, "stepMult", 0.001, "initGain", 50);

  /**
   * Adam with bias correction and the step multiplied by {@code r^decay}, {@code r = max(1 - t / total, 1 / total)}
   * the remaining fraction, t the 0-based step.
   */
  static final class DecayingAdam implements Optimizer {
    final double lr;
    final double decay;
    final int total;
    final double[] m;
    final double[] v;
    int t;

    DecayingAdam(double lr, double decay, int total, int n) {
      this.lr = lr;
      this.decay = decay;
      this.total = total;
      this.m = new double[n];
      this.v = new double[n];
    }

    @Override
    public void step(float[] p, float[] g) {
      double s = lr * Math.pow(Math.max(1 - (double) t / total, 1.0 / total), decay);
      t++;
      for (int i = 0; i < p.length; i++) {
        m[i] = 0.9 * m[i] + 0.1 * g[i];
        v[i] = 0.999 * v[i] + 0.001 * (double) g[i] * g[i];
        double mh = m[i] / (1 - Math.pow(0.9, t));
        double vh = v[i] / (1 - Math.pow(0.999, t));
        p[i] -= (float) (s * mh / (Math.sqrt(vh) + 1e-8));
      }
    }

    @Override
    public void reset() {
      Arrays.fill(m, 0);
      Arrays.fill(v, 0);
      t = 0;
    }

    @Override
    public String name() {
      return "decaying-adam";
    }

    @Override
    public double learningRate() {
      return lr;
    }
  }

  static float[][] run(Optimizer opt, QuadraticTask task, int steps) {
    float[] w = task.initialParams(5);
    float[] g = new float[w.length];
    float[][] out = new float[steps + 1][];
    out[0] = w.clone();
    for (int t = 0; t < steps; t++) {
      task.lossAndGradient(w, Batch.full(0), g);
      opt.step(w, g);
      out[t + 1] = w.clone();
    }
    return out;
  }

  @Test
  void initialThetaStepsLikeAdamWithALinearlyDecayingRate() {
    LearnedOptimizer lo = LearnedOptimizers.create("mlp-lopt", OPTIONS);
    QuadraticTask task = new QuadraticTask("q", 20, 10, true, 3);
    int steps = 60;
    float[][] got = run(lo.create(lo.initialMetaParams(4), task.layout(), steps), task, steps);
    float[][] want = run(new DecayingAdam(0.05, 1, steps, task.numParams()), task, steps);
    // per step, the learned update matches Adam's within 3% of its size (the other hidden units add ~1e-2 to the
    // magnitude output and ~1e-4 to the direction)
    for (int t = 1; t <= 5; t++) {
      double diff = 0;
      double size = 0;
      for (int i = 0; i < task.numParams(); i++) {
        double a = got[t][i] - got[t - 1][i];
        double b = want[t][i] - want[t - 1][i];
        diff += (a - b) * (a - b);
        size += b * b;
      }
      assertTrue(Math.sqrt(diff) < 0.03 * Math.sqrt(size), "step " + t + ": |learned - adam| = " + Math.sqrt(diff)
          + " vs |adam| = " + Math.sqrt(size));
    }
    // and the decay acts: the last step is about 2/60 of the early ones, as for the reference
    assertEquals(stepNorm(want, steps) / stepNorm(want, 2), stepNorm(got, steps) / stepNorm(got, 2),
        0.25 * stepNorm(want, steps) / stepNorm(want, 2) + 0.02);
  }

  private static double stepNorm(float[][] traj, int t) {
    double s = 0;
    for (int i = 0; i < traj[t].length; i++) {
      double d = traj[t][i] - traj[t - 1][i];
      s += d * d;
    }
    return Math.sqrt(s);
  }

  @Test
  void progressFeatureNeedsTheStepCountAndIsIgnoredWithoutIt() {
    LearnedOptimizer lo = LearnedOptimizers.create("mlp-lopt", OPTIONS);
    QuadraticTask task = new QuadraticTask("q", 10, 10, true, 3);
    float[] theta = lo.initialMetaParams(2);
    float[][] known = run(lo.create(theta, task.layout(), 30), task, 30);
    float[][] unknown = run(lo.create(theta, task.layout(), 0), task, 30);
    float[][] longer = run(lo.create(theta, task.layout(), 3000), task, 30);
    assertEquals(Arrays.toString(known[1]), Arrays.toString(unknown[1]), "step 0 has progress 0 either way");
    assertFalse(Arrays.equals(known[30], unknown[30]), "the progress feature changed nothing");
    double nearlyNoDecay = 0;
    for (int i = 0; i < known[30].length; i++) {
      nearlyNoDecay = Math.max(nearlyNoDecay, Math.abs(longer[30][i] - unknown[30][i]));
    }
    assertTrue(nearlyNoDecay < 0.05, "30 of 3000 steps should barely decay, max difference " + nearlyNoDecay);
  }

  @Test
  void optionsChangeTheLayoutAndAreRecordedOnlyWhenOn() {
    LearnedOptimizer plain = LearnedOptimizers.create("mlp-lopt", Map.of());
    LearnedOptimizer opts = LearnedOptimizers.create("mlp-lopt", OPTIONS);
    assertEquals(1762, plain.numMetaParams());
    assertEquals(1762 + 32 * 5, opts.numMetaParams(), "3 Adam features and 2 progress features in mlp0.weight");
    assertFalse(plain.hyperparameters().containsKey("adamFeatures"));
    assertEquals(1, opts.hyperparameters().get("adamFeatures"));
    LearnedOptimizer again = LearnedOptimizers.create("mlp-lopt", opts.hyperparameters());
    assertEquals(opts.numMetaParams(), again.numMetaParams());
    assertEquals(Arrays.toString(opts.initialMetaParams(1)), Arrays.toString(again.initialMetaParams(1)));
  }

  @Test
  void decayWithoutTheProgressFeatureIsABadConfig() {
    UserError e = assertThrows(UserError.class,
        () -> LearnedOptimizers.create("mlp-lopt", Map.of("initDecay", 2)));
    assertTrue(e.getMessage().contains("progressFeatures"), e.getMessage());
    assertThrows(UserError.class, () -> LearnedOptimizers.create("mlp-lopt", Map.of("adamFeatures", 2)));
  }

  @Test
  void widthAwareStepScalesWideWeightTensorsByBaseOverFanIn() {
    org.metaopt.core.tensor.ParamLayout layout = org.metaopt.core.tensor.ParamLayout.builder()
        .add("dense", 64, 8).add("bias", 8).add("conv", 4, 2, 3, 3).add("vector", 20).add("narrow", 4, 8).build();
    Map<String, Object> off = new java.util.HashMap<>(OPTIONS);
    Map<String, Object> on = new java.util.HashMap<>(OPTIONS);
    on.put("fanInBase", 16);
    LearnedOptimizer plain = LearnedOptimizers.create("mlp-lopt", off);
    LearnedOptimizer aware = LearnedOptimizers.create("mlp-lopt", on);
    assertEquals(plain.numMetaParams(), aware.numMetaParams(), "the option adds no meta-parameters");
    assertEquals(16.0, ((Number) aware.hyperparameters().get("fanInBase")).doubleValue());
    assertFalse(plain.hyperparameters().containsKey("fanInBase"), "off: recorded as before the option");
    float[] theta = plain.initialMetaParams(3);
    java.util.SplittableRandom r = new java.util.SplittableRandom(4);
    float[] p0 = new float[layout.size()];
    float[] g = new float[layout.size()];
    for (int i = 0; i < g.length; i++) {
      p0[i] = (float) r.nextGaussian();
      g[i] = (float) r.nextGaussian();
    }
    float[] a = p0.clone();
    float[] b = p0.clone();
    plain.create(theta, layout, 10).step(a, g.clone());
    aware.create(theta, layout, 10).step(b, g.clone());
    // dense [in 64, out 8]: fan-in 64; conv [out 4, in 2, 3, 3]: fan-in 18; rank-1 tensors: unscaled; a fan-in
    // below the base (4) is not scaled up
    Map<String, Double> expected = Map.of("dense", 16 / 64.0, "bias", 1.0, "conv", 16 / 18.0, "vector", 1.0,
        "narrow", 1.0);
    for (org.metaopt.core.tensor.TensorSpec t : layout.tensors()) {
      double ratio = expected.get(t.name());
      for (int i = t.offset(); i < t.end(); i++) {
        double plainStep = a[i] - p0[i];
        double awareStep = b[i] - p0[i];
        assertEquals(ratio * plainStep, awareStep, 1e-5 * Math.abs(plainStep) + 1e-6,
            t.name() + "[" + (i - t.offset()) + "]: step " + awareStep + " should be " + ratio + " x " + plainStep);
      }
    }
    assertThrows(UserError.class, () -> LearnedOptimizers.create("mlp-lopt", Map.of("fanInBase", -3)));
  }
}
