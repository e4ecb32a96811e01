package org.metaopt.core.task;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.metaopt.core.spec.SpecValidator;
import org.metaopt.core.spec.TaskFactory;
import org.metaopt.core.spec.TaskSpec;
import org.metaopt.core.tensor.TensorSpec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The contract every task family honours, run on one small spec per family through {@link TaskFactory}: layout
 * covers the parameters, initialization and batches are deterministic, the gradient matches central finite
 * differences, the Hessian-vector product matches finite differences of gradients, evaluations are finite.
 */
class TaskContractTest {

  static TaskSpec spec(String family, String dataset, Integer dim, List<Integer> hidden, String activation,
      Integer imageSize, Double gradientNoise) {
    boolean data = dataset != null || family.equals("least-squares");
    TaskSpec raw = new TaskSpec(family + "-contract", family, dataset, hidden, activation, data ? 16 : null,
        data ? 64 : null, data && !"fashion-mnist".equals(dataset) ? 16 : null, data ? 32 : null, imageSize, dim, null,
        null, 10, 3L, family.equals("conv") ? List.of(3) : null, null, gradientNoise);
    return SpecValidator.resolve(raw, "contract");
  }

  static Stream<TaskSpec> specs() {
    return Stream.of(
        spec("quadratic", null, 12, null, null, null, null),
        spec("least-squares", null, 10, null, null, null, null),
        spec("logistic", "synthetic", 8, null, null, null, null),
        spec("logistic", "fashion-mnist", null, null, null, 7, null),
        spec("mlp", "synthetic", 8, List.of(6, 5), "tanh", null, null),
        spec("mlp", "synthetic", 8, List.of(7), "sigmoid", null, null),
        spec("mlp", "synthetic", 8, List.of(7), "relu", null, null),
        spec("conv", "synthetic", 36, List.of(), "relu", null, null),
        spec("rosenbrock", null, 6, null, null, null, null),
        spec("beale", null, null, null, null, null, null),
        spec("booth", null, null, null, null, null, null),
        spec("matyas", null, null, null, null, null, null),
        spec("styblinski-tang", null, 4, null, null, null, null),
        spec("rastrigin", null, 4, null, null, null, null),
        spec("ackley", null, 4, null, null, null, null),
        spec("quadratic", null, 6, null, null, null, 0.1));
  }

  @ParameterizedTest
  @MethodSource("specs")
  void layoutCoversTheParametersBackToBack(TaskSpec spec) {
    Task t = new TaskFactory(null).create(spec);
    int next = 0;
    for (TensorSpec ts : t.layout().tensors()) {
      assertEquals(next, ts.offset());
      next = ts.end();
    }
    assertEquals(t.numParams(), next);
    assertEquals(t.numParams(), t.initialParams(1).length);
  }

  @ParameterizedTest
  @MethodSource("specs")
  void sameSeedsGiveSameParametersBatchesAndLosses(TaskSpec spec) {
    Task a = new TaskFactory(null).create(spec);
    Task b = new TaskFactory(null).create(spec);
    float[] w = a.initialParams(5);
    assertArrayEquals(w, b.initialParams(5));
    Batch ba = a.sampleBatch(new SplittableRandom(9));
    Batch bb = b.sampleBatch(new SplittableRandom(9));
    float[] ga = new float[w.length];
    float[] gb = new float[w.length];
    assertEquals(a.lossAndGradient(w, ba, ga), b.lossAndGradient(w, bb, gb));
    assertArrayEquals(ga, gb);
  }

  @ParameterizedTest
  @MethodSource("specs")
  void gradientMatchesCentralFiniteDifferences(TaskSpec spec) {
    Task t = new TaskFactory(null).create(spec);
    if (t instanceof NoisyGradientTask n) {
      t = n.inner(); // noise is added to gradients only; the loss it differentiates is the inner task's
    }
    float[] w = t.initialParams(2);
    Batch batch = t.sampleBatch(new SplittableRandom(4));
    // eps 1e-2 along unit directions, realised perturbation in float; tolerance 2e-2 relative (float losses).
    TaskChecks.assertGradientMatchesFiniteDifferences(t, w, batch, 1e-2, 2e-2, 1e-4);
  }

  @ParameterizedTest
  @MethodSource("specs")
  void hessianVectorProductMatchesFiniteDifferencesOfGradients(TaskSpec spec) {
    Task t = new TaskFactory(null).create(spec);
    float[] w = t.initialParams(2);
    Batch batch = t.sampleBatch(new SplittableRandom(4));
    // Step 1e-2 in float; 3e-2 relative on the whole vector (ReLU kinks make FD of gradients rough).
    TaskChecks.assertHessianVectorProductMatchesFiniteDifferences(t, w, batch, 1e-2, 3e-2, 1e-3);
  }

  @ParameterizedTest
  @MethodSource("specs")
  void evaluationsAreFiniteAndAccuracyIsAFraction(TaskSpec spec) {
    Task t = new TaskFactory(null).create(spec);
    float[] w = t.initialParams(1);
    for (Split s : Split.values()) {
      Evaluation e = t.evaluate(w, s);
      assertTrue(Double.isFinite(e.loss()), s + " loss " + e.loss());
      assertEquals(t.isClassifier(), e.hasAccuracy());
      if (e.hasAccuracy()) {
        assertTrue(e.accuracy() >= 0 && e.accuracy() <= 1);
      }
    }
    assertFalse(t.name().isBlank());
  }
}
