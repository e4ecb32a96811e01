package org.metaopt.core.tuning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.metaopt.core.spec.SpecValidator;
import org.metaopt.core.spec.TaskFactory;
import org.metaopt.core.spec.TaskSpec;
import org.metaopt.core.task.Evaluation;
import org.metaopt.core.train.RunResult;

class LearningRateTunerTest {
  private static final double[] GRID = grid(-5, 0);

  static double[] grid(int lo, int hi) {
    int n = (hi - lo) * 3 + 1;
    double[] g = new double[n];
    for (int i = 0; i < n; i++) {
      g[i] = Math.pow(10, lo + i / 3.0);
    }
    return g;
  }

  /** A synthetic landscape: final loss (log10 lr - log10 best)^2 + 1, seed 1 a little higher; diverges above. */
  private static LearningRateTuner.Trial landscape(double bestLr, double divergesAbove) {
    return (lr, seed) -> {
      double x = Math.log10(lr) - Math.log10(bestLr);
      double loss = x * x + 1 + 0.01 * seed;
      boolean diverged = lr > divergesAbove;
      float[] losses = new float[10];
      java.util.Arrays.fill(losses, (float) loss);
      return new RunResult(diverged ? 3 : 10, losses, diverged ? Evaluation.lossOnly(Double.NaN)
          : Evaluation.lossOnly(loss), null, diverged, diverged ? "blew up" : null, 1, new float[1]);
    };
  }

  @Test
  void findsTheArgminOfASyntheticLandscapeByTheMeanOverTuningSeeds() {
    TuningResult r = new LearningRateTuner(null, 2).search("h", "adam", 10, GRID, landscape(1e-3, 10), null);
    assertEquals(1e-3, r.bestLearningRate(), 1e-12);
    assertFalse(r.extended());
    assertEquals(GRID.length, r.grid().size());
    assertEquals(1 + 0.005, r.bestScore(), 1e-9, "mean over the two tuning seeds");
    assertEquals(GRID.length, r.curves().size());
  }

  @Test
  void aRateThatDivergesScoresInfinityAndNeverWins() {
    // best of the smooth landscape at 1e-1, but everything above 3e-2 diverges
    TuningResult r = new LearningRateTuner(null).search("h", "adam", 10, GRID, landscape(1e-1, 3e-2), null);
    assertTrue(r.bestLearningRate() <= 3e-2);
    assertEquals(Double.POSITIVE_INFINITY, r.scores().get(r.grid().size() - 1));
    float[] divergedCurve = r.curves().get(r.grid().size() - 1);
    assertEquals(Float.POSITIVE_INFINITY, divergedCurve[divergedCurve.length - 1]);
  }

  @Test
  void extendsTheGridOnceWhenTheBestIsAtAnEdge() {
    TuningResult low = new LearningRateTuner(null).search("h", "adam", 10, GRID, landscape(3e-7, 10), null);
    assertTrue(low.extended());
    assertEquals(GRID.length + LearningRateTuner.EXTENSION_POINTS, low.grid().size());
    assertEquals(1e-6, low.grid().get(0), 1e-18);
    assertEquals(1e-6, low.bestLearningRate(), 1e-18, "best of the extension, at its new edge");
    assertTrue(low.bestAtGridEdge(), "still at the edge after the one extension: reported");
    for (int i = 1; i < low.grid().size(); i++) {
      assertTrue(low.grid().get(i) > low.grid().get(i - 1), "increasing");
    }

    TuningResult high = new LearningRateTuner(null).search("h", "adam", 10, GRID, landscape(3, 100), null);
    assertTrue(high.extended());
    assertEquals(10, high.grid().get(high.grid().size() - 1), 1e-9);
    assertEquals(GRID.length + 3, high.grid().size(), "three points added above");
    assertEquals(Math.pow(10, 1 / 3.0 + 1e-12), high.bestLearningRate(), 1e-6);
    assertFalse(high.bestAtGridEdge());
  }

  @Test
  void cachesByGridAndScoringRuleAndUsesFreshTuningInstances(@TempDir Path dir) {
    TaskSpec spec = SpecValidator.resolve(new TaskSpec("q", "quadratic", null, null, null, null, null, null, null,
        null, 5, 10.0, null, 20, 3L, null, null, null), "test");
    AtomicInteger built = new AtomicInteger();
    List<Long> seeds = new java.util.concurrent.CopyOnWriteArrayList<>();
    TaskFactory factory = new TaskFactory(null);
    LearningRateTuner tuner = new LearningRateTuner(new TuningCache(dir), 2);
    double[] g = grid(-3, -1);
    TuningResult first = tuner.tune(spec, s -> {
      built.incrementAndGet();
      seeds.add(s.seed());
      return factory.create(s);
    }, "adam", 20, g, null);
    assertEquals(g.length * LearningRateTuner.TUNING_SEEDS + (first.extended() ? 6 : 0), built.get());
    assertFalse(seeds.contains(3L), "tuning never runs on the spec's own (meta-training) instance");
    assertEquals(2, seeds.stream().distinct().count(), "one instance per tuning seed");
    for (int i = 0; i < 5; i++) {
      assertFalse(seeds.contains(ProblemInstances.evaluation(spec, i).seed()), "never an evaluation instance");
    }
    TuningResult again = new LearningRateTuner(new TuningCache(dir)).tune(spec, s -> {
      throw new AssertionError("cached");
    }, "adam", 20, g, null);
    assertEquals(first.bestLearningRate(), again.bestLearningRate());
    assertNotEquals(LearningRateTuner.key(spec, "adam", 20, g), LearningRateTuner.key(spec, "adam", 20, grid(-4, -1)));
  }

  @Test
  void theResultDoesNotDependOnTheThreadCount() {
    TaskSpec spec = SpecValidator.resolve(new TaskSpec("q", "quadratic", null, null, null, null, null, null, null,
        null, 5, 10.0, null, 30, 3L, null, null, null), "test");
    TaskFactory factory = new TaskFactory(null);
    double[] g = grid(-3, 0);
    TuningResult one = new LearningRateTuner(null, 1).tune(spec, factory::create, "adam", 30, g, null);
    TuningResult two = new LearningRateTuner(null, 2).tune(spec, factory::create, "adam", 30, g, null);
    assertEquals(one.scores(), two.scores());
    assertEquals(one.bestLearningRate(), two.bestLearningRate());
  }
}
