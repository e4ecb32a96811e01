package org.metaopt.core.lopt.hrnn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.metaopt.core.optim.Optimizer;
import org.metaopt.core.task.Task;
import org.metaopt.core.task.quadratic.QuadraticTask;
import org.metaopt.core.tensor.ParamLayout;
import org.metaopt.core.tensor.TensorSpec;

class HierarchicalRnnOptimizerTest {
  private static final HierarchicalRnnOptimizer LOPT = new HierarchicalRnnOptimizer();
  private static final ParamLayout MULTI = ParamLayout.builder().add("w", 3, 4).add("b", 4).add("v", 10).build();

  @Test
  void thetaLengthMatchesTheNamedLayout() {
    float[] theta = LOPT.initialMetaParams(1);
    assertEquals(LOPT.metaLayout().size(), theta.length);
    assertEquals(theta.length, LOPT.numMetaParams());
    assertEquals("hierarchical-rnn", LOPT.architecture());
    assertTrue(LOPT.metaLayout().tensors().stream().anyMatch(t -> t.name().equals("output.stepOffset")));
    assertEquals(-1f, theta[LOPT.metaLayout().tensor("output.stepOffset").offset()]);
    assertEquals(1f, theta[LOPT.metaLayout().tensor("output.shortcut").offset()]);
  }

  @Test
  void rejectsThetaOfTheWrongLength() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> LOPT.create(new float[3], MULTI, 0));
    assertTrue(e.getMessage().contains("metaLayout().size()"), e.getMessage());
  }

  @Test
  void sameSeedGivesIdenticalTrajectoriesOnAQuadratic() {
    assertArrayEquals(LOPT.initialMetaParams(7), LOPT.initialMetaParams(7));
    assertFalse(Arrays.equals(LOPT.initialMetaParams(7), LOPT.initialMetaParams(8)));
    QuadraticTask task = new QuadraticTask("q", 12, 10, true, 3);
    assertArrayEquals(trajectory(LOPT.initialMetaParams(7), task, 30), trajectory(LOPT.initialMetaParams(7), task, 30));
  }

  @Test
  void updatesStayFiniteForExtremeGradientMagnitudes() {
    float[] mags = {0f, 1e-30f, 1e-20f, 1e-10f, 1f, 1e10f, 1e20f, 1e30f, Float.MAX_VALUE};
    HrnnStepper opt = (HrnnStepper) LOPT.create(LOPT.initialMetaParams(2), MULTI, 0);
    float[] params = new float[MULTI.size()];
    float[] grad = new float[MULTI.size()];
    float[] dir = new float[MULTI.size()];
    SplittableRandom rng = new SplittableRandom(5);
    for (int step = 0; step < 60; step++) {
      for (int i = 0; i < grad.length; i++) {
        float m = step < mags.length ? mags[step] : mags[rng.nextInt(mags.length)];
        grad[i] = (rng.nextBoolean() ? m : -m) * (float) (0.5 + rng.nextDouble());
      }
      opt.step(params, grad);
      opt.lastDirection(dir);
      for (int i = 0; i < params.length; i++) {
        assertTrue(Float.isFinite(params[i]), "param " + i + " at step " + step + ": " + params[i]);
        assertTrue(Float.isFinite(dir[i]), "direction " + i + " at step " + step + ": " + dir[i]);
      }
      for (float l : opt.logLearningRates()) {
        assertTrue(l >= -33f && l <= 33f, "log lr " + l);
      }
    }
  }

  @Test
  void resetRestoresFreshBehaviour() {
    QuadraticTask task = new QuadraticTask("q", 8, 5, true, 1);
    float[] theta = LOPT.initialMetaParams(3);
    Optimizer opt = LOPT.create(theta, task.layout(), 0);
    float[] expected = run(opt, task, 15);
    opt.reset();
    assertArrayEquals(expected, run(opt, task, 15));
  }

  @Test
  void createCopiesTheta() {
    QuadraticTask task = new QuadraticTask("q", 8, 5, true, 1);
    float[] theta = LOPT.initialMetaParams(4);
    float[] expected = trajectory(theta.clone(), task, 15);
    Optimizer opt = LOPT.create(theta, task.layout(), 15); // same step count: it feeds the progress schedule
    Arrays.fill(theta, 0.5f);
    assertArrayEquals(expected, run(opt, task, 15));
  }

  @Test
  void directionHasUnitRmsInEveryTensorOfAMultiTensorLayout() {
    HrnnStepper opt = (HrnnStepper) LOPT.create(LOPT.initialMetaParams(5), MULTI, 0);
    float[] params = new float[MULTI.size()];
    float[] grad = new float[MULTI.size()];
    float[] dir = new float[MULTI.size()];
    SplittableRandom rng = new SplittableRandom(9);
    for (int step = 0; step < 10; step++) {
      for (int i = 0; i < grad.length; i++) {
        grad[i] = (float) (rng.nextGaussian() * Math.pow(10, step % 4 - 2)); // scale varies by step
      }
      opt.step(params, grad);
      opt.lastDirection(dir);
      for (TensorSpec t : MULTI.tensors()) {
        double ss = 0;
        for (int i = t.offset(); i < t.end(); i++) {
          ss += (double) dir[i] * dir[i];
        }
        assertEquals(1.0, Math.sqrt(ss / t.size()), 1e-4, t.name() + " at step " + step);
      }
    }
  }

  private static float[][] quadraticTrajectory(float[] theta, int totalSteps, int steps) {
    QuadraticTask task = new QuadraticTask("q", 10, 10, true, 11);
    float[] params = task.initialParams(2);
    Optimizer opt = LOPT.create(theta, task.layout(), totalSteps);
    float[] grad = new float[task.numParams()];
    float[][] out = new float[steps + 1][];
    out[0] = params.clone();
    for (int s = 0; s < steps; s++) {
      task.lossAndGradient(params, null, grad);
      opt.step(params, grad);
      out[s + 1] = params.clone();
    }
    return out;
  }

  @Test
  void progressScheduleActsOnlyThroughItsCoefficientsAndTheStepCount() {
    float[] theta = LOPT.initialMetaParams(1);
    int off = HrnnTheta.DEFAULT.outProgress;
    assertEquals(HrnnTheta.PROGRESS_POWER_INIT, theta[off]);
    float[] flat = theta.clone();
    flat[off] = 0;
    flat[off + 1] = 0;
    float[][] flatKnown = quadraticTrajectory(flat, 40, 40);
    float[][] flatUnknown = quadraticTrajectory(flat, 0, 40);
    assertArrayEquals(flatUnknown[40], flatKnown[40], "zero coefficients: the step count must not matter");
    float[][] known = quadraticTrajectory(theta, 40, 40);
    float[][] unknown = quadraticTrajectory(theta, 0, 40);
    assertArrayEquals(unknown[1], known[1], "progress is 0 at the first step");
    // at the last step the linear decay leaves r = 1/40 of the undecayed rule's step; compare step sizes
    double decayed = 0;
    double undecayed = 0;
    for (int i = 0; i < known[0].length; i++) {
      decayed += Math.abs(known[40][i] - known[39][i]);
      undecayed += Math.abs(unknown[40][i] - unknown[39][i]);
    }
    assertTrue(decayed < 0.2 * undecayed, "last step " + decayed + " vs undecayed " + undecayed);
  }

  @Test
  void initialThetaDecreasesAQuadraticOver100Steps() {
    QuadraticTask task = new QuadraticTask("q", 10, 10, true, 11);
    float[] params = task.initialParams(2);
    double before = task.loss(params, null);
    Optimizer opt = LOPT.create(LOPT.initialMetaParams(6), task.layout(), 100);
    float[] grad = new float[task.numParams()];
    for (int s = 0; s < 100; s++) {
      task.lossAndGradient(params, null, grad);
      opt.step(params, grad);
    }
    double after = task.loss(params, null);
    assertTrue(after < 0.8 * before, "quadratic loss " + before + " -> " + after);
  }

  @Test
  void initialThetaDecreasesASmallMlp() {
    Task task = TinyMlp.task();
    assertTrue(task.layout().tensors().size() >= 4, "multi-tensor layout " + task.layout());
    float[] params = task.initialParams(1);
    double before = TinyMlp.trainLoss(task, params);
    Optimizer opt = LOPT.create(LOPT.initialMetaParams(6), task.layout(), 100);
    float[] grad = new float[task.numParams()];
    SplittableRandom rng = new SplittableRandom(3);
    for (int s = 0; s < 100; s++) {
      task.lossAndGradient(params, task.sampleBatch(rng), grad);
      opt.step(params, grad);
    }
    double after = TinyMlp.trainLoss(task, params);
    assertTrue(after < 0.95 * before, "MLP loss " + before + " -> " + after);
  }

  @Test
  void tensorAndGlobalGrusInfluenceTheUpdate() {
    float[] base = LOPT.initialMetaParams(8);
    float[] reference = updateAfterSteps(base);
    for (String block : new String[] {"param.bias.fromTensor", "param.bias.fromGlobal", "tensor.gru.wx",
        "tensor.gru.wh", "tensor.gru.b", "tensor.bias.fromGlobal", "tensor.h0", "global.gru.wx", "global.gru.wh",
        "global.gru.b", "global.h0"}) {
      float[] theta = base.clone();
      TensorSpec t = LOPT.metaLayout().tensor(block);
      SplittableRandom rng = new SplittableRandom(block.hashCode());
      for (int i = t.offset(); i < t.end(); i++) {
        theta[i] += (float) (0.3 * rng.nextGaussian());
      }
      float[] perturbed = updateAfterSteps(theta);
      double diff = 0;
      double norm = 0;
      for (int i = 0; i < reference.length; i++) {
        diff += Math.abs(perturbed[i] - reference[i]);
        norm += Math.abs(reference[i]);
      }
      assertTrue(diff > 1e-5 * norm, block + " changed the update by only " + diff + " of " + norm);
    }
  }

  /** The third update, from zero parameters, on fixed gradients over the multi-tensor layout. */
  private static float[] updateAfterSteps(float[] theta) {
    Optimizer opt = LOPT.create(theta, MULTI, 0);
    SplittableRandom rng = new SplittableRandom(1);
    float[] grad = new float[MULTI.size()];
    float[] params = new float[MULTI.size()];
    for (int s = 0; s < 3; s++) {
      for (int i = 0; i < grad.length; i++) {
        grad[i] = (float) rng.nextGaussian();
      }
      Arrays.fill(params, 0f);
      opt.step(params, grad);
    }
    return params;
  }

  private static float[] trajectory(float[] theta, Task task, int steps) {
    return run(LOPT.create(theta, task.layout(), steps), task, steps);
  }

  /** All parameter vectors visited, concatenated. */
  private static float[] run(Optimizer opt, Task task, int steps) {
    float[] params = task.initialParams(1);
    float[] grad = new float[task.numParams()];
    float[] out = new float[steps * params.length];
    SplittableRandom rng = new SplittableRandom(2);
    for (int s = 0; s < steps; s++) {
      task.lossAndGradient(params, task.sampleBatch(rng), grad);
      opt.step(params, grad);
      System.arraycopy(params, 0, out, s * params.length, params.length);
    }
    return out;
  }

  @Test
  void attentionAddsItsReadoutsAndLeavesTheDefaultLayoutAndInitialThetaAlone() {
    HierarchicalRnnOptimizer att = new HierarchicalRnnOptimizer(10, 20, 20, true);
    assertEquals(LOPT.numMetaParams() + 10 + HrnnTheta.SCALES, att.numMetaParams());
    float[] plain = LOPT.initialMetaParams(7);
    float[] withAttention = att.initialMetaParams(7);
    assertArrayEquals(plain, Arrays.copyOf(withAttention, plain.length), "attention only appends to θ");
    int dir = att.metaLayout().tensor("output.direction").offset();
    int a = att.metaLayout().tensor("output.attention").offset();
    assertArrayEquals(Arrays.copyOfRange(withAttention, dir, dir + 10), Arrays.copyOfRange(withAttention, a, a + 10),
        "the attention readout starts as a copy of the direction readout, as the original");
    assertFalse(LOPT.create(plain, MULTI, 0).looksAhead());
    assertTrue(att.create(withAttention, MULTI, 0).looksAhead());
    assertEquals(true, att.hyperparameters().get("attention"));
    assertEquals(false, LOPT.hyperparameters().get("attention"));
  }

  @Test
  void atThetaZeroTheLookAheadIsETimesTheStepBeyondTheNewParameters() {
    HierarchicalRnnOptimizer att = new HierarchicalRnnOptimizer(4, 20, 20, true);
    float[] theta = att.initialMetaParams(3);
    Task task = new QuadraticTask("q", 17, 10, true, 2);
    Optimizer opt = att.create(theta, task.layout(), 0);
    float[] w = task.initialParams(1);
    float[] g = new float[w.length];
    float[] at = new float[w.length];
    opt.gradientPoint(w, at);
    assertArrayEquals(w, at, "before the first step the gradient is taken at the parameters");
    for (int s = 0; s < 5; s++) {
      float[] before = w.clone();
      opt.gradientPoint(w, at);
      task.lossAndGradient(at, null, g);
      opt.step(w, g);
      opt.gradientPoint(w, at);
      // θ0: attention readout == direction readout, so the look-ahead exp(s) a / rms(a) is exp(-c) = e times the step
      for (int i = 0; i < w.length; i++) {
        double step = before[i] - w[i];
        double look = w[i] - at[i];
        assertEquals(Math.E * step, look, 1e-5 * Math.abs(step) + 1e-12, "step " + s + " coordinate " + i);
      }
    }
    opt.reset();
    opt.gradientPoint(w, at);
    assertArrayEquals(w, at, "reset forgets the look-ahead");
  }

  @Test
  void unitCountsAndAttentionComeFromTheHyperparametersAndBadOnesAreUserErrors() {
    var lo = org.metaopt.core.lopt.registry.LearnedOptimizers.create("hierarchical-rnn",
        java.util.Map.of("paramUnits", 4, "attention", "true"));
    assertEquals(4, lo.hyperparameters().get("paramUnits"));
    assertEquals(true, lo.hyperparameters().get("attention"));
    // a version file's recorded hyperparameters come back unchanged
    var again = org.metaopt.core.lopt.registry.LearnedOptimizers.create("hierarchical-rnn", lo.hyperparameters());
    assertEquals(lo.numMetaParams(), again.numMetaParams());
    assertEquals(LOPT.numMetaParams(),
        org.metaopt.core.lopt.registry.LearnedOptimizers.create("hierarchical-rnn", LOPT.hyperparameters()).numMetaParams());
    for (var bad : java.util.List.<java.util.Map<String, Object>>of(java.util.Map.of("paramUnits", 0),
        java.util.Map.of("attention", "maybe"), java.util.Map.of("gradientScales", 3), java.util.Map.of("units", 4))) {
      var e = assertThrows(org.metaopt.core.UserError.class,
          () -> org.metaopt.core.lopt.registry.LearnedOptimizers.create("hierarchical-rnn", bad));
      assertTrue(e.getMessage().contains(bad.keySet().iterator().next()), e.getMessage());
    }
  }

  @Test
  void widthAwareStepScalesWideWeightTensorsByBaseOverFanIn() {
    ParamLayout layout = ParamLayout.builder().add("dense", 40, 6).add("bias", 6).add("conv", 3, 2, 3, 3)
        .add("narrow", 3, 5).build();
    for (boolean attention : new boolean[] {false, true}) {
      HierarchicalRnnOptimizer plain = new HierarchicalRnnOptimizer(10, 20, 20, attention);
      HierarchicalRnnOptimizer aware = new HierarchicalRnnOptimizer(10, 20, 20, attention, 8);
      assertFalse(plain.hyperparameters().containsKey("fanInBase"), "off: recorded as before the option");
      assertEquals(8.0, ((Number) aware.hyperparameters().get("fanInBase")).doubleValue());
      float[] theta = plain.initialMetaParams(5);
      Optimizer a = plain.create(theta, layout, 20);
      Optimizer b = aware.create(theta, layout, 20);
      SplittableRandom r = new SplittableRandom(9);
      float[] p0 = new float[layout.size()];
      for (int i = 0; i < p0.length; i++) {
        p0[i] = (float) r.nextGaussian();
      }
      float[] pa = p0.clone();
      float[] pb = p0.clone();
      float[] ga = new float[p0.length];
      float[] gb = new float[p0.length];
      float[] at = new float[p0.length];
      float[] bt = new float[p0.length];
      for (int step = 0; step < 3; step++) { // the same gradients, so the states stay equal and only steps differ
        float[] g = new float[p0.length];
        for (int i = 0; i < g.length; i++) {
          g[i] = (float) r.nextGaussian();
        }
        float[] before = pa.clone();
        float[] beforeB = pb.clone();
        a.gradientPoint(pa, at);
        b.gradientPoint(pb, bt);
        System.arraycopy(g, 0, ga, 0, g.length);
        System.arraycopy(g, 0, gb, 0, g.length);
        a.step(pa, ga);
        b.step(pb, gb);
        java.util.Map<String, Double> expected = java.util.Map.of("dense", 8 / 40.0, "bias", 1.0, "conv", 8 / 18.0,
            "narrow", 1.0); // fan-in 3 < 8: not scaled up
        for (TensorSpec t : layout.tensors()) {
          double ratio = expected.get(t.name());
          for (int i = t.offset(); i < t.end(); i++) {
            double stepA = pa[i] - before[i];
            double stepB = pb[i] - beforeB[i];
            assertEquals(ratio * stepA, stepB, 1e-4 * Math.abs(stepA) + 1e-6, "attention " + attention + " step "
                + step + " " + t.name() + "[" + (i - t.offset()) + "]");
            if (attention && step > 0) {
              assertEquals(ratio * (at[i] - before[i]), bt[i] - beforeB[i], 1e-4 * Math.abs(at[i] - before[i]) + 1e-6,
                  "look-ahead of " + t.name() + "[" + (i - t.offset()) + "]");
            }
          }
        }
        System.arraycopy(pa, 0, pb, 0, pa.length); // same parameters again for the next step
      }
    }
    assertThrows(IllegalArgumentException.class, () -> new HierarchicalRnnOptimizer(10, 20, 20, false, -1));
  }
}
