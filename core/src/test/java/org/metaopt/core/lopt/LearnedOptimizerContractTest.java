package org.metaopt.core.lopt;

import org.metaopt.core.lopt.registry.LearnedOptimizers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.metaopt.core.optim.Optimizer;
import org.metaopt.core.task.Batch;
import org.metaopt.core.task.quadratic.QuadraticTask;
import org.metaopt.core.tensor.ParamLayout;
import org.metaopt.core.tensor.TensorSpec;

/** The conformance suite every architecture in {@link LearnedOptimizers#architectures()} passes. */
class LearnedOptimizerContractTest {
  /** Architectures whose initial θ does not depend on the seed. */
  static final Set<String> DETERMINISTIC_INIT = Set.of("step-size");
  /** Required loss reduction of the initial θ on the quadratic after {@link #SANITY_STEPS} steps. */
  static final double SANITY_RATIO = 0.5;
  static final int SANITY_STEPS = 100;

  /** mlp-lopt with its options on (Adam and progress features, decaying initial θ) is checked as well. */
  static final String MLP_LOPT_OPTIONS = "mlp-lopt+options";

  /** hierarchical-rnn with a 4-unit parameter GRU and attention (the gradient at a look-ahead point). */
  static final String HRNN_ATTENTION = "hierarchical-rnn+attention";

  /** celo2 without Newton–Schulz, at a constant rate, with weight decay. */
  static final String CELO2_OPTIONS = "celo2+options";

  /**
   * celo2 runs here at η = 0.01: its default η = 1e-3 (the authors' meta-training rate, RMS-1 steps) barely moves a
   * toy problem in 100 steps.
   */
  static final Map<String, Object> CELO2_TOY = Map.of("lr", 0.01);

  /**
   * Architectures whose θ acts on matrices only (vectors take a fixed Adam-like step): they get the quadratic's 10
   * parameters as one 2 x 5 matrix, so that θ matters.
   */
  static final Set<String> THETA_ON_MATRICES = Set.of("celo2", CELO2_OPTIONS);

  static String architectureName(String name) {
    return name.equals(MLP_LOPT_OPTIONS) ? "mlp-lopt" : name.equals(HRNN_ATTENTION) ? "hierarchical-rnn"
        : name.equals(CELO2_OPTIONS) ? "celo2" : name;
  }

  static Stream<String> architectures() {
    return Stream.concat(LearnedOptimizers.architectures().stream(),
        Stream.of(MLP_LOPT_OPTIONS, HRNN_ATTENTION, CELO2_OPTIONS));
  }

  static LearnedOptimizer arch(String name) {
    return name.equals(MLP_LOPT_OPTIONS) ? LearnedOptimizers.create("mlp-lopt", MlpLoptOptionsTest.OPTIONS)
        : name.equals(HRNN_ATTENTION)
            ? LearnedOptimizers.create("hierarchical-rnn", Map.of("paramUnits", 4, "attention", true))
            : name.equals("celo2") ? LearnedOptimizers.create("celo2", CELO2_TOY)
            : name.equals(CELO2_OPTIONS) ? LearnedOptimizers.create("celo2",
                Map.of("lr", 0.01, "ns", false, "schedule", "constant", "weightDecay", 0.01))
            : LearnedOptimizers.create(name, Map.of());
  }

  /** The layout {@code name}'s optimizers get for the quadratic: its own, or one 2 x 5 matrix. */
  static ParamLayout layout(String name, QuadraticTask task) {
    return THETA_ON_MATRICES.contains(name) ? ParamLayout.builder().add("w", 2, 5).build() : task.layout();
  }

  static QuadraticTask quadratic() {
    return new QuadraticTask("q", 10, 10, true, 3);
  }

  /** Runs {@code steps} steps on the quadratic from its seed-5 start; returns the parameters after each step. */
  static float[][] trajectory(Optimizer opt, QuadraticTask task, int steps) {
    float[] w = task.initialParams(5);
    float[] g = new float[w.length];
    float[] at = new float[w.length];
    float[][] out = new float[steps][];
    for (int t = 0; t < steps; t++) {
      opt.gradientPoint(w, at); // w itself unless the optimizer looks ahead
      task.lossAndGradient(at, Batch.full(0), g);
      opt.step(w, g);
      out[t] = w.clone();
    }
    return out;
  }

  static void assertFinite(String what, float[] w) {
    for (int i = 0; i < w.length; i++) {
      assertTrue(Float.isFinite(w[i]), what + ": entry " + i + " is " + w[i]);
    }
  }

  @ParameterizedTest
  @MethodSource("architectures")
  void metaLayoutBlocksAreBackToBackAndCoverTheta(String name) {
    LearnedOptimizer lo = arch(name);
    assertEquals(architectureName(name), lo.architecture());
    int offset = 0;
    for (TensorSpec t : lo.metaLayout().tensors()) {
      assertEquals(offset, t.offset(), name + ": block " + t.name() + " not back to back");
      offset = t.end();
    }
    assertEquals(offset, lo.numMetaParams());
    assertEquals(lo.metaLayout().size(), lo.initialMetaParams(1).length);
    assertFinite(name + " initial theta", lo.initialMetaParams(1));
  }

  @ParameterizedTest
  @MethodSource("architectures")
  void sameSeedGivesIdenticalThetaAndTrajectory(String name) {
    LearnedOptimizer lo = arch(name);
    float[] a = lo.initialMetaParams(42);
    float[] b = lo.initialMetaParams(42);
    assertArrayEquals(a, b);
    QuadraticTask task = quadratic();
    float[][] ta = trajectory(lo.create(a, layout(name, task), 30), task, 30);
    float[][] tb = trajectory(arch(name).create(b, layout(name, task), 30), task, 30);
    for (int t = 0; t < ta.length; t++) {
      assertArrayEquals(ta[t], tb[t], name + ": step " + t);
    }
  }

  @ParameterizedTest
  @MethodSource("architectures")
  void differentSeedsGiveDifferentTheta(String name) {
    LearnedOptimizer lo = arch(name);
    boolean same = Arrays.equals(lo.initialMetaParams(1), lo.initialMetaParams(2));
    assertEquals(DETERMINISTIC_INIT.contains(name), same, name + ": seeds 1 and 2 gave same theta = " + same);
  }

  @ParameterizedTest
  @MethodSource("architectures")
  void reportsNameAndLearningRate(String name) {
    LearnedOptimizer lo = arch(name);
    Optimizer opt = lo.create(lo.initialMetaParams(1), ParamLayout.vector("w", 3), 0);
    assertEquals(architectureName(name), opt.name());
    if (name.equals("step-size")) {
      assertEquals(0.1, opt.learningRate(), 1e-7);
    }
  }

  @ParameterizedTest
  @MethodSource("architectures")
  void staysFiniteOnExtremeGradientsAndIsolatesNonFiniteCoordinates(String name) {
    LearnedOptimizer lo = arch(name);
    ParamLayout layout = ParamLayout.builder().add("a", 2, 3).add("b", 4).build();
    Optimizer opt = lo.create(lo.initialMetaParams(1), layout, 50);
    float[] w = {0.5f, -0.5f, 1f, -1f, 0f, 2f, 0.1f, -0.1f, 3f, -3f};
    float[][] grads = {
        {1e30f, -1e30f, 1e-30f, -1e-30f, 0f, 1e30f, -1e-30f, 1f, -1f, 0f},
        {0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f},
        {Float.MAX_VALUE, -Float.MAX_VALUE, Float.MIN_VALUE, 1e-38f, -1e20f, 1e20f, 3f, -3f, 1e-10f, 1e10f},
        {1f, Float.NaN, -1f, Float.POSITIVE_INFINITY, 1f, -1f, 1f, Float.NEGATIVE_INFINITY, 1f, -1f},
    };
    for (int rep = 0; rep < 5; rep++) {
      for (float[] g : grads) {
        opt.step(w, g.clone());
        assertFinite(name + " after extreme gradients", w);
      }
    }
    // a NaN coordinate behaves as a zero gradient: the other coordinates match a run where it was 0
    Optimizer withNan = lo.create(lo.initialMetaParams(1), layout, 50);
    Optimizer withZero = lo.create(lo.initialMetaParams(1), layout, 50);
    float[] w1 = new float[10];
    float[] w2 = new float[10];
    for (int t = 0; t < 10; t++) {
      float[] g1 = new float[10];
      for (int i = 0; i < 10; i++) {
        g1[i] = (float) Math.sin(i + t);
      }
      float[] g2 = g1.clone();
      g1[3] = Float.NaN;
      g2[3] = 0f;
      withNan.step(w1, g1);
      withZero.step(w2, g2);
    }
    assertArrayEquals(w2, w1, name + ": a NaN gradient entry is not treated as 0");
  }

  @ParameterizedTest
  @MethodSource("architectures")
  void resetRestoresTheFreshTrajectory(String name) {
    LearnedOptimizer lo = arch(name);
    QuadraticTask task = quadratic();
    float[] theta = lo.initialMetaParams(7);
    Optimizer opt = lo.create(theta, layout(name, task), 20);
    trajectory(opt, task, 20);
    opt.reset();
    float[][] afterReset = trajectory(opt, task, 20);
    float[][] fresh = trajectory(lo.create(theta, layout(name, task), 20), task, 20);
    for (int t = 0; t < fresh.length; t++) {
      assertArrayEquals(fresh[t], afterReset[t], name + ": step " + t + " after reset");
    }
  }

  @ParameterizedTest
  @MethodSource("architectures")
  void setMetaParamsThenResetActsExactlyLikeCreatingWithTheNewTheta(String name) {
    // PES swaps a perturbed θ into a live optimizer: every entry of θ must act, none may be cached at creation.
    LearnedOptimizer lo = arch(name);
    QuadraticTask task = quadratic();
    float[] a = lo.initialMetaParams(3);
    float[] b = a.clone();
    java.util.SplittableRandom rng = new java.util.SplittableRandom(11);
    for (int i = 0; i < b.length; i++) {
      b[i] += (float) (0.05 * rng.nextGaussian());
    }
    LearnedUpdate swapped = lo.create(a, layout(name, task), 30);
    swapped.setMetaParams(b);
    swapped.reset();
    float[][] got = trajectory(swapped, task, 30);
    float[][] want = trajectory(lo.create(b, layout(name, task), 30), task, 30);
    float[][] before = trajectory(lo.create(a, layout(name, task), 30), task, 30);
    assertFalse(Arrays.equals(before[29], want[29]), name + ": the perturbation should change the trajectory");
    for (int t = 0; t < want.length; t++) {
      assertArrayEquals(want[t], got[t], name + ": step " + t + " after setMetaParams + reset");
    }
  }

  @ParameterizedTest
  @MethodSource("architectures")
  void createCopiesTheta(String name) {
    LearnedOptimizer lo = arch(name);
    QuadraticTask task = quadratic();
    float[] theta = lo.initialMetaParams(3);
    Optimizer opt = lo.create(theta, layout(name, task), 10);
    Arrays.fill(theta, 0.7f);
    float[][] got = trajectory(opt, task, 10);
    float[][] want = trajectory(lo.create(lo.initialMetaParams(3), layout(name, task), 10), task, 10);
    assertArrayEquals(want[9], got[9], name + ": mutating theta after create changed the optimizer");
  }

  @ParameterizedTest
  @MethodSource("architectures")
  void initialThetaHalvesAQuadraticLossIn100Steps(String name) {
    LearnedOptimizer lo = arch(name);
    QuadraticTask task = quadratic();
    for (long seed = 1; seed <= 3; seed++) {
      Optimizer opt = lo.create(lo.initialMetaParams(seed), layout(name, task), SANITY_STEPS);
      double before = task.loss(task.initialParams(5), Batch.full(0));
      float[][] traj = trajectory(opt, task, SANITY_STEPS);
      double after = task.loss(traj[SANITY_STEPS - 1], Batch.full(0));
      assertTrue(after < SANITY_RATIO * before,
          name + " seed " + seed + ": loss " + before + " -> " + after + ", wanted < " + SANITY_RATIO + "x");
    }
  }

  @ParameterizedTest
  @MethodSource("architectures")
  void worksOnALayoutOfSeveralTensors(String name) {
    LearnedOptimizer lo = arch(name);
    ParamLayout layout = ParamLayout.builder().add("weight", 3, 4).add("bias", 4).build();
    Optimizer opt = lo.create(lo.initialMetaParams(1), layout, 200);
    float[] w = new float[16];
    for (int i = 0; i < w.length; i++) {
      w[i] = (float) Math.cos(3 * i);
    }
    double before = sumSq(w);
    float[] g = new float[16];
    for (int t = 0; t < 200; t++) {
      for (int i = 0; i < w.length; i++) {
        g[i] = (i < 12 ? 1f : 0.3f) * w[i]; // f = 1/2 sum c_i w_i^2
      }
      opt.step(w, g);
    }
    assertFinite(name, w);
    assertTrue(sumSq(w) < SANITY_RATIO * before, name + ": |w|^2 " + before + " -> " + sumSq(w));
    assertFalse(Float.isNaN(w[15]));
  }

  @ParameterizedTest
  @MethodSource("architectures")
  void savedStateLoadedIntoAFreshOptimizerContinuesTheSameTrajectory(String name) {
    // what a Deeplearning4j updater view (and a saved model) relies on
    LearnedOptimizer lo = arch(name);
    ParamLayout layout = ParamLayout.builder().add("weight", 3, 4).add("bias", 4).build();
    float[] theta = lo.initialMetaParams(2);
    LearnedUpdate first = lo.create(theta, layout, 40);
    float[] w = new float[16];
    float[] g = new float[16];
    for (int i = 0; i < w.length; i++) {
      w[i] = (float) Math.cos(3 * i);
    }
    for (int t = 0; t < 15; t++) {
      quadraticGradient(w, t, g);
      first.step(w, g);
    }
    float[] state = new float[first.stateSize() + 3];
    first.saveState(state, 3);
    LearnedUpdate second = lo.create(theta, layout, 40);
    assertEquals(first.stateSize(), second.stateSize(), name + ": state size depends on the instance");
    second.loadState(state, 3);
    float[] again = new float[state.length];
    second.saveState(again, 3);
    assertArrayEquals(state, again, name + ": load then save changed the state");
    float[] w2 = w.clone();
    float[] at = new float[16];
    for (int t = 15; t < 30; t++) {
      first.gradientPoint(w, at);
      quadraticGradient(at, t, g);
      first.step(w, g.clone());
      second.gradientPoint(w2, at);
      quadraticGradient(at, t, g);
      second.step(w2, g);
      assertArrayEquals(w, w2, name + ": step " + t + " after loading the saved state");
    }
  }

  /** The gradient of a slowly rotating diagonal quadratic at step {@code t}. */
  private static void quadraticGradient(float[] w, int t, float[] g) {
    for (int i = 0; i < w.length; i++) {
      g[i] = (float) ((1 + 0.5 * Math.sin(i + 0.1 * t)) * w[i] + 0.01 * Math.cos(i * t));
    }
  }

  private static double sumSq(float[] w) {
    double s = 0;
    for (float x : w) {
      s += x * x;
    }
    return s;
  }
}
