package org.metaopt.metalearner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.metaopt.stream.wire.RunRecord;
import org.metaopt.stream.kafka.KafkaSettings;
import org.metaopt.core.meta.EstimatorKind;
import org.metaopt.core.meta.ObjectiveTerms;
import org.metaopt.core.meta.Segment;
import org.metaopt.core.meta.MetaTrainConfigs;

class LearnerMetricsTest {
  private static Segment seg(long baseVersion, double finalPos, double finalNeg, double trace) {
    ObjectiveTerms p = new ObjectiveTerms(finalPos, -1, Double.NaN, trace, Double.NaN, Double.NaN);
    ObjectiveTerms n = new ObjectiveTerms(finalNeg, -3, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
    return new Segment(0, 0, 0, true, baseVersion, EstimatorKind.FULL_ES, 0.1, new long[] {baseVersion + 11}, null,
        0, 1, new float[] {1}, new float[] {1}, new float[] {1}, new float[] {1}, p, n, false, false, null);
  }

  private static KafkaLearner learner() {
    Path config = Path.of("..", "docs", "examples", "meta-mlp-lopt.yaml");
    if (!Files.exists(config)) {
      config = Path.of("docs", "examples", "meta-mlp-lopt.yaml");
    }
    // never run: the meters only read its counters
    return new KafkaLearner(KafkaSettings.of("127.0.0.1:1"), MetaTrainConfigs.load(config),
        new KafkaLearner.Listener() {});
  }

  private static MetaLearner.StepReport report(boolean published, double metaLoss) {
    return new MetaLearner.StepReport(11, 2, 0, 0, metaLoss, 2.5, published, Duration.ofMillis(3));
  }

  @Test
  void recordsStalenessTermMeansAndWindowOutcomes() {
    SimpleMeterRegistry r = new SimpleMeterRegistry();
    LearnerMetrics m = new LearnerMetrics(learner(), r);
    UncommittedCounts counts = new UncommittedCounts();
    List<Segment> first = List.of(seg(8, 1.0, 3.0, 10), seg(10, 2.0, 4.0, Double.NaN));
    counts.window(first, 10, report(true, 0.7));
    m.window(first, report(true, 0.7));

    DistributionSummary staleness = r.get("metaopt.learner.staleness").summary();
    assertEquals(0, staleness.count(), "counted only once committed");
    assertEquals(2.5, r.get("metaopt.learner.objective.term").tag("term", "finalLoss").gauge().value());
    assertEquals(-2.0, r.get("metaopt.learner.objective.term").tag("term", "meanLogLossRatio").gauge().value());
    assertEquals(10.0, r.get("metaopt.learner.objective.term").tag("term", "hessianTrace").gauge().value(),
        "the mean over the sides that measured it");
    assertTrue(Double.isNaN(r.get("metaopt.learner.objective.term").tag("term", "validationLoss").gauge().value()));
    assertEquals(0.7, r.get("metaopt.learner.meta.loss").gauge().value());
    assertEquals(2.5, r.get("metaopt.learner.meta.gradient.norm").gauge().value());

    assertEquals(0, r.get("metaopt.learner.windows").tag("outcome", "published").counter().count(),
        "published only once committed");
    m.committed(5_000_000, counts);
    counts.clear();
    assertEquals(1, r.get("metaopt.learner.windows").tag("outcome", "published").counter().count());
    assertEquals(1, r.get("metaopt.learner.update.latency").timer().count());
    assertEquals(2, staleness.count());
    assertEquals(2.0, staleness.totalAmount(), "10 - 8 and 10 - 10 versions behind");

    List<Segment> stale = List.of(seg(3, 1, 1, 1));
    counts.window(stale, 10, report(false, Double.NaN));
    m.window(stale, report(false, Double.NaN));
    assertEquals(0.7, r.get("metaopt.learner.meta.loss").gauge().value(), "a skipped window keeps the last value");
    m.aborted();
    counts.clear(); // the aborted windows are read again
    counts.window(stale, 10, report(false, Double.NaN));
    counts.window(first, 10, report(true, 0.5));
    m.committed(1_000_000, counts);
    assertEquals(1, r.get("metaopt.learner.windows").tag("outcome", "skipped").counter().count(),
        "the skipped window read twice counts once");
    assertEquals(1, r.get("metaopt.learner.windows").tag("outcome", "aborted").counter().count());
    assertEquals(5, staleness.count());
    assertEquals(2.0 + 7 + 2, staleness.totalAmount());
    assertTrue(Double.isNaN(r.get("metaopt.learner.version").gauge().value()), "standby: no current version");
  }

  private static RunRecord chunk(int chunk, float... losses) {
    float[] z = new float[losses.length];
    return new RunRecord("run-a", chunk, "mlp", 100, "adam", -1, "", chunk * 10L, 0, losses, z, z, z, false,
        "2026-12-08T00:00:00Z");
  }

  @Test
  void recordedRunChunksAreCountedOnceOnCommitAndShowTheirLastLoss() {
    SimpleMeterRegistry r = new SimpleMeterRegistry();
    LearnerMetrics m = new LearnerMetrics(learner(), r);
    UncommittedCounts counts = new UncommittedCounts();
    assertTrue(Double.isNaN(r.get("metaopt.learner.recorded.run.loss").gauge().value()), "no run read yet");
    List<RunRecord> runs = List.of(chunk(0, 2.0f, 1.5f), chunk(1, 1.2f, 0.9f, Float.NaN));
    counts.runs(runs);
    m.runs(runs);
    assertEquals(0.9, r.get("metaopt.learner.recorded.run.loss").gauge().value(), 1e-6,
        "the last finite loss of the newest chunk, as soon as it is read");
    assertEquals(0, r.get("metaopt.learner.recorded.run.steps").counter().count(), "counted only once committed");
    m.aborted();
    counts.clear(); // read again after the abort
    counts.runs(runs);
    m.committed(1_000_000, counts);
    assertEquals(2, r.get("metaopt.learner.recorded.run.chunks").counter().count(), "read twice, counted once");
    assertEquals(5, r.get("metaopt.learner.recorded.run.steps").counter().count());
  }
}
