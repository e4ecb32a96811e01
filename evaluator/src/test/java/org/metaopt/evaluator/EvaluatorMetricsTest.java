package org.metaopt.evaluator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.metaopt.stream.wire.EvaluationRecord;

class EvaluatorMetricsTest {
  private static EvaluationRecord record(long version, double learnedAccuracy) {
    double nan = Double.NaN;
    List<EvaluationRecord.Row> rows = List.of(
        new EvaluationRecord.Row("mlp", "learned", nan, 0.30, 0.40, learnedAccuracy, 0.10, 12.0, 0, 2),
        new EvaluationRecord.Row("mlp", "adam", 1e-3, 0.35, 0.50, 0.80, 0.15, 20.0, 0, 2),
        new EvaluationRecord.Row("quad", "learned", nan, 0.01, nan, nan, nan, 3.0, 0, 2),
        new EvaluationRecord.Row("quad", "adam", 1e-2, 0.02, nan, nan, nan, 3.5, 0, 2));
    return new EvaluationRecord(version, "ab", "mlp-lopt", "held-out", 2, rows, 2, 1.0, 1, 1.0, 0.6, 1.5,
        "2026-11-21T20:00:00Z");
  }

  @Test
  void publishesTheHeadlineNumbersAndPerTaskGaugesOnlyWhereMeasured() {
    SimpleMeterRegistry r = new SimpleMeterRegistry();
    EvaluatorMetrics m = new EvaluatorMetrics(r);
    m.evaluated(record(40, 0.85));
    m.evaluated(record(60, 0.90));

    assertEquals(2, r.get("metaopt.evaluator.evaluations").counter().count());
    assertEquals(2, r.get("metaopt.evaluator.evaluation.time").timer().count());
    assertEquals(1.0, r.get("metaopt.evaluator.win.rate").tag("metric", "train_loss").gauge().value());
    assertEquals(0.6, r.get("metaopt.evaluator.loss.ratio").gauge().value());
    assertEquals(60, r.get("metaopt.evaluator.version").gauge().value());
    assertEquals(0.90, r.get("metaopt.evaluator.test.accuracy").tags("task", "mlp", "optimizer", "learned")
        .gauge().value());
    assertEquals(12.0, r.get("metaopt.evaluator.hessian.trace").tags("task", "mlp", "optimizer", "learned")
        .gauge().value());
    // a regression task has no test accuracy and no generalization gap: no series rather than NaN ones
    assertNull(r.find("metaopt.evaluator.test.accuracy").tag("task", "quad").gauge());
    assertNull(r.find("metaopt.evaluator.generalization.gap").tag("task", "quad").gauge());
    assertEquals(3.0, r.get("metaopt.evaluator.hessian.trace").tags("task", "quad", "optimizer", "learned")
        .gauge().value());
  }

  @Test
  void versionsAreValuesNeverTagsAndEveryMeterIsDescribed() {
    SimpleMeterRegistry r = new SimpleMeterRegistry();
    EvaluatorMetrics m = new EvaluatorMetrics(r);
    for (long v = 0; v < 50; v += 5) {
      m.evaluated(record(v, 0.8));
    }
    for (Meter meter : r.getMeters()) {
      Meter.Id id = meter.getId();
      assertTrue(id.getName().startsWith("metaopt.evaluator."), id.getName());
      assertTrue(id.getDescription() != null && !id.getDescription().isBlank(), id.getName() + " has no description");
      id.getTags().forEach(t -> assertTrue(List.of("metric", "task", "optimizer", "bound").contains(t.getKey()),
          id.getName() + " has tag " + t));
    }
    // ten evaluations of the same suite: the series do not grow with versions
    assertEquals(6, r.find("metaopt.evaluator.hessian.trace").gauges().size()
        + r.find("metaopt.evaluator.test.accuracy").gauges().size());
  }
}
