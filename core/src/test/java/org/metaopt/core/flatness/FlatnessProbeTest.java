package org.metaopt.core.flatness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.metaopt.core.data.DataSplits;
import org.metaopt.core.data.Dataset;
import org.metaopt.core.task.Batch;
import org.metaopt.core.task.Task;
import org.metaopt.core.task.nets.Activation;
import org.metaopt.core.task.nets.MlpTask;
import org.metaopt.core.task.quadratic.QuadraticTask;

class FlatnessProbeTest {
  private static final QuadraticTask TASK = new QuadraticTask("q", 30, 100, true, 1);
  private static final FlatnessConfig CONFIG = FlatnessConfig.defaults(42).withLocalEntropy(10, 0.05, 1e-4);

  @Test
  void computesOnlyConfiguredTermsAndLeavesTheRestNaN() {
    FlatnessTerms t = new FlatnessProbe(CONFIG.withTerms(EnumSet.of(FlatnessTerm.TOP_EIGENVALUE)))
        .measure(TASK, TASK.initialParams(0), Batch.full(0));
    assertTrue(t.topEigenvalue() > 0);
    assertTrue(Double.isNaN(t.hessianTrace()) && Double.isNaN(t.hessianTraceStdErr()));
    assertTrue(Double.isNaN(t.negLocalEntropyMc()) && Double.isNaN(t.negLocalEntropySgld()));
    assertTrue(Double.isNaN(new FlatnessProbe(CONFIG.withTerms(Set.of())).measure(TASK, TASK.initialParams(0),
        Batch.full(0)).get(FlatnessTerm.TOP_EIGENVALUE)));
  }

  @Test
  void termValuesDoNotDependOnWhichOtherTermsAreEnabled() {
    float[] w = TASK.initialParams(0);
    FlatnessTerms all = new FlatnessProbe(CONFIG).measure(TASK, w, Batch.full(0));
    for (FlatnessTerm term : FlatnessTerm.values()) {
      FlatnessTerms one = new FlatnessProbe(CONFIG.withTerms(EnumSet.of(term))).measure(TASK, w, Batch.full(0));
      assertEquals(all.get(term), one.get(term), term.toString());
      assertTrue(Double.isFinite(all.get(term)), term.toString());
    }
  }

  @Test
  void sameSeedGivesSameTermsAndAnotherSeedDoesNot() {
    float[] w = TASK.initialParams(0);
    FlatnessProbe probe = new FlatnessProbe(CONFIG);
    FlatnessTerms first = probe.measure(TASK, w, Batch.full(0));
    assertEquals(first, probe.measure(TASK, w, Batch.full(0)));
    assertEquals(first, new FlatnessProbe(CONFIG).measure(TASK, w, Batch.full(0), 42));
    assertTrue(first.hessianTrace() != probe.measure(TASK, w, Batch.full(0), 43).hessianTrace());
  }

  @Test
  void nonFiniteLossOrProductGivesNaNTermsWithoutThrowing() {
    Task badHvp = new PoisonedTask(TASK, false, true);
    FlatnessTerms t = new FlatnessProbe(CONFIG).measure(badHvp, TASK.initialParams(0), Batch.full(0));
    assertTrue(Double.isNaN(t.hessianTrace()) && Double.isNaN(t.topEigenvalue()));
    assertTrue(Double.isFinite(t.negLocalEntropyMc()) && Double.isFinite(t.negLocalEntropySgld()));
    Task badLoss = new PoisonedTask(TASK, true, false);
    FlatnessTerms u = new FlatnessProbe(CONFIG).measure(badLoss, TASK.initialParams(0), Batch.full(0));
    assertTrue(Double.isNaN(u.negLocalEntropyMc()) && Double.isNaN(u.negLocalEntropySgld()));
    assertTrue(Double.isFinite(u.hessianTrace()));
  }

  @Test
  void configRejectsOutOfRangeValuesNamingFieldAndValue() {
    FlatnessConfig d = FlatnessConfig.defaults(0);
    IllegalArgumentException probes = assertThrows(IllegalArgumentException.class, () -> new FlatnessConfig(d.terms(),
        0, 10, 0, 1000, 16, 20, 2e-4, 1e-4, 0));
    assertTrue(probes.getMessage().contains("traceProbes 0") && probes.getMessage().contains(">= 1"), probes.getMessage());
    IllegalArgumentException gamma = assertThrows(IllegalArgumentException.class, () -> d.withLocalEntropy(-1, 2e-4, 1e-4));
    assertTrue(gamma.getMessage().contains("gamma -1.0"), gamma.getMessage());
    IllegalArgumentException step = assertThrows(IllegalArgumentException.class, () -> d.withLocalEntropy(1000, 0.01, 1e-4));
    assertTrue(step.getMessage().contains("sgldStepSize 0.01") && step.getMessage().contains("(0, 0.001]"), step.getMessage());
    assertThrows(IllegalArgumentException.class, () -> d.withTerms(null));
  }

  @Test
  void mlpTermsAreFiniteWithDefaultConfig() {
    MlpTask mlp = new MlpTask("mlp", splits(8, 3, 64, 9), new int[] {16}, Activation.TANH, 32);
    float[] w = mlp.initialParams(1);
    Batch batch = mlp.sampleBatch(new SplittableRandom(2));
    FlatnessTerms t = new FlatnessProbe(FlatnessConfig.defaults(3)).measure(mlp, w, batch);
    for (FlatnessTerm term : FlatnessTerm.values()) {
      assertTrue(Double.isFinite(t.get(term)), term + " = " + t.get(term));
    }
    assertTrue(Double.isFinite(t.hessianTraceStdErr()));
  }

  /** Gaussian features labelled by a random linear teacher. */
  private static DataSplits splits(int features, int classes, int n, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    float[] teacher = new float[features * classes];
    for (int i = 0; i < teacher.length; i++) {
      teacher[i] = (float) rng.nextGaussian();
    }
    return new DataSplits(make("train", teacher, features, classes, n, rng),
        make("validation", teacher, features, classes, n, rng), make("test", teacher, features, classes, n, rng));
  }

  private static Dataset make(String name, float[] teacher, int f, int k, int n, SplittableRandom rng) {
    float[] x = new float[n * f];
    int[] y = new int[n];
    for (int r = 0; r < n; r++) {
      double best = Double.NEGATIVE_INFINITY;
      for (int i = 0; i < f; i++) {
        x[r * f + i] = (float) rng.nextGaussian();
      }
      for (int c = 0; c < k; c++) {
        double s = 0;
        for (int i = 0; i < f; i++) {
          s += x[r * f + i] * teacher[i * k + c];
        }
        if (s > best) {
          best = s;
          y[r] = c;
        }
      }
    }
    return Dataset.classification(name, x, f, y, k);
  }
}
