package org.metaopt.evaluator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.metaopt.core.lopt.LearnedOptimizer;
import org.metaopt.core.lopt.registry.LearnedOptimizers;
import org.metaopt.core.spec.SpecLoader;
import org.metaopt.core.spec.SuiteSpec;
import org.metaopt.core.spec.TaskFactory;
import org.metaopt.core.spec.TaskSpec;
import org.metaopt.core.tuning.LearningRateTuner;
import org.metaopt.stream.wire.EvaluationRecord;

class PairedComparisonTest {
  private static final String SUITE = """
      name: paired-test
      tasks:
        - {name: quad, family: quadratic, dim: 20, conditionNumber: 30, steps: 120}
        - {name: ls, family: least-squares, dim: 16, trainExamples: 120, validationExamples: 60, noise: 0.3, steps: 120}
        - name: ts-mlp
          family: mlp
          dataset: synthetic
          dim: 12
          classes: 4
          hidden: [16]
          activation: relu
          trainExamples: 400
          testExamples: 200
          batchSize: 32
          steps: 150
      """;

  @Test
  void logRatiosAreClippedAndDivergenceCountsAgainstTheSideThatDiverged() {
    assertEquals(Math.log(2), PairedComparison.logRatio(1, 2), 1e-12);
    assertEquals(PairedComparison.CLIP, PairedComparison.logRatio(1e-9, 1), 1e-12);
    assertEquals(PairedComparison.CLIP, PairedComparison.logRatio(1, Double.POSITIVE_INFINITY));
    assertEquals(-PairedComparison.CLIP, PairedComparison.logRatio(Double.POSITIVE_INFINITY, 1));
    assertEquals(0, PairedComparison.logRatio(Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY));
    assertEquals(0, PairedComparison.logRatio(0, 0));
  }

  @Test
  void theIntervalIsTheStudentTIntervalOfTheMean() {
    EvaluationRecord.Paired p = PairedComparison.ofDifferences(0, List.of(1.0, 2.0, 3.0));
    double half = 4.303 * 1.0 / Math.sqrt(3);
    assertEquals(2.0, p.meanLogRatio(), 1e-12);
    assertEquals(2.0 - half, p.low(), 1e-9);
    assertEquals(2.0 + half, p.high(), 1e-9);
    assertFalse(p.worse() || p.better()); // n = 3 is too few to exclude 0 here
    assertTrue(PairedComparison.ofDifferences(0, List.of(1.9, 2.0, 2.1)).worse());
    assertTrue(PairedComparison.studentT975(1000) > 1.96 && PairedComparison.studentT975(1000) < 1.963);
    assertEquals(2.042, PairedComparison.studentT975(30));
  }

  /** Real training runs: celo2 at its η against itself, and against the same rule with steps 100x too large. */
  @Test
  void identicalVersionsGiveAnIntervalAroundZeroAndABrokenOneAnIntervalThatExcludesIt(@TempDir Path dir)
      throws IOException {
    Path file = dir.resolve("suite.yaml");
    Files.writeString(file, SUITE);
    SuiteSpec suite = SpecLoader.load(file);
    SuiteEvaluator ev = new SuiteEvaluator(new TaskFactory(dir), new LearningRateTuner(null, 1), null, 2);
    List<TaskScore> a = learned(ev, suite, Map.of("lr", 4e-3));
    List<TaskScore> same = learned(ev, suite, Map.of("lr", 4e-3));
    List<TaskScore> broken = learned(ev, suite, Map.of("lr", 0.4));

    EvaluationRecord.Paired self = PairedComparison.of(0, a, same);
    assertEquals(9, self.pairs());
    assertTrue(self.low() <= 0 && self.high() >= 0, self.toString());
    assertFalse(self.better() || self.worse());

    EvaluationRecord.Paired bad = PairedComparison.of(0, a, broken);
    assertEquals(9, bad.pairs());
    assertTrue(bad.worse(), "steps 100x too large should be worse beyond the interval: " + bad);
    EvaluationRecord.Paired back = PairedComparison.of(1, broken, a);
    assertTrue(back.better(), back.toString());
  }

  private static List<TaskScore> learned(SuiteEvaluator ev, SuiteSpec suite, Map<String, Object> hyper) {
    LearnedOptimizer arch = LearnedOptimizers.create("celo2", hyper);
    float[] theta = arch.initialMetaParams(0);
    List<TaskScore> out = new ArrayList<>();
    for (TaskSpec spec : suite.tasks()) {
      out.add(ev.scoreLearned(spec, (t, steps) -> arch.create(theta, t.layout(), steps), 3));
    }
    return out;
  }
}
