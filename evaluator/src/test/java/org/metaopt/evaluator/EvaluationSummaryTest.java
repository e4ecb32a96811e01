package org.metaopt.evaluator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class EvaluationSummaryTest {
  private static final double INF = Double.POSITIVE_INFINITY;

  private static TaskScore row(String task, String opt, double loss, double acc, int diverged, double speedup) {
    return new TaskScore(task, opt, 0.01, loss, Double.NaN, acc, Double.NaN, Double.NaN, diverged, 3, new float[0], 1,
        speedup, null);
  }

  @Test
  void aWinNeedsAOnePercentMargin() {
    assertFalse(EvaluationSummary.wins(0.995, 1.0), "0.5% lower is no win");
    assertTrue(EvaluationSummary.wins(0.99, 1.0));
    assertFalse(EvaluationSummary.wins(0.62999, 0.63016), "the same minimum is no win");
    assertFalse(EvaluationSummary.wins(INF, INF), "both diverged: no win");
    assertFalse(EvaluationSummary.wins(INF, 5), "a diverged learned side loses");
    assertTrue(EvaluationSummary.wins(5, INF), "a diverged baseline loses to any finite run");
  }

  @Test
  void summarizesHandMadeRows() {
    List<TaskScore> rows = List.of(
        // t1: learned 0.5% below adam (no win), 2% below adam-cosine (win), sgd is the best baseline
        row("t1", "learned", 0.995, 0.80, 0, 1.5),
        row("t1", "adam", 1.0, 0.79, 0, 1.0),
        row("t1", "adam-cosine", 1.016, 0.81, 0, 0.9),
        row("t1", "sgd", 0.9, 0.82, 0, 1.1),
        // t2: a diverged learned seed loses everything, although its other seeds were better
        row("t2", "learned", INF, 0.90, 1, 0),
        row("t2", "adam", 2.0, 0.85, 0, 1.0),
        row("t2", "adam-cosine", 1.9, 0.86, 0, 1.2),
        // t3: learned wins against all, adam diverged
        row("t3", "learned", 0.5, Double.NaN, 0, INF),
        row("t3", "adam", INF, Double.NaN, 2, 1.0),
        row("t3", "adam-cosine", 0.6, Double.NaN, 0, 1.0));
    EvaluationSummary s = EvaluationSummary.of(rows);
    assertEquals(3, s.tasks());
    assertEquals(1.0 / 3, s.winRateTrainLoss(), 1e-12, "t3 only");
    assertEquals(2.0 / 3, s.winRateVsAdamCosine(), 1e-12, "t1 and t3");
    assertEquals(1.0 / 3, s.winRateVsBest(), 1e-12, "t3 only (sgd is t1's best)");
    assertEquals(1.5, s.medianSpeedupVsAdam(), 1e-12, "median of 1.5, 0, +inf");
    assertEquals(1, s.learnedDivergedTasks());
    assertEquals(2, s.classifierTasks());
    assertEquals(0.5, s.winRateTestAccuracy(), 1e-12, "t1 won (0.80 > 0.79), t2 lost by divergence");
    assertEquals(INF, s.geometricMeanLossRatio(), "a diverged learned task is not left out");
    assertEquals("sgd", EvaluationSummary.bestBaseline(rows, "t1").optimizer());
  }

  @Test
  void medianOfAnEvenCount() {
    assertEquals(2.5, EvaluationSummary.median(List.of(4.0, 1.0, 2.0, 3.0)), 1e-12);
    assertEquals(INF, EvaluationSummary.median(List.of(INF, INF)));
    assertTrue(Double.isNaN(EvaluationSummary.median(List.of())));
  }
}
