package org.metaopt.metalearner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.metaopt.core.meta.EstimatorKind;
import org.metaopt.core.meta.ObjectiveTerms;
import org.metaopt.core.meta.ObjectiveWeights;
import org.metaopt.core.meta.Segment;
import org.metaopt.core.transport.InMemoryTransport;
import org.metaopt.core.version.OptimizerVersion;
import org.junit.jupiter.api.Test;

class MetaLearnerTest {
  private static final OptimizerVersion.Provenance PROV = new OptimizerVersion.Provenance("c", "PES", Map.of(),
      List.of(), 0, "dev", "t", 0, "");

  private static Segment seg(long version, double lossPos, double lossNeg) {
    ObjectiveTerms p = new ObjectiveTerms(lossPos, lossPos, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
    ObjectiveTerms n = new ObjectiveTerms(lossNeg, lossNeg, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
    return new Segment(0, 0, 0, true, version, EstimatorKind.FULL_ES, 0.1, new long[] {version + 11}, null, 0, 1,
        new float[] {1}, new float[] {1}, new float[] {1}, new float[] {1}, p, n, false, false, null);
  }

  private static MetaLearner learner(InMemoryTransport t, long startVersion, int maxStaleness) {
    OptimizerVersion v = OptimizerVersion.of(startVersion, startVersion - 1, "test", Map.of(), new float[] {0, 0, 0},
        null, PROV);
    t.publish(v);
    return new MetaLearner(t, t, v, new MetaLearner.Settings(4, Duration.ofMillis(20), maxStaleness,
        ObjectiveWeights.meanLogLossRatioOnly(), 0.01, 10, PROV));
  }

  @Test
  void dropsSegmentsOlderThanMaxStalenessAndCountsThem() throws Exception {
    InMemoryTransport t = new InMemoryTransport(16);
    MetaLearner l = learner(t, 10, 2);
    t.send(seg(7, 1, 2)); // 3 behind: dropped
    t.send(seg(8, 1, 2)); // 2 behind: used
    t.send(seg(10, 2, 1));
    MetaLearner.StepReport r = l.step();
    assertEquals(1, r.droppedStale());
    assertEquals(2, r.segments());
    assertTrue(r.published());
    assertEquals(11, l.current().version());
    assertEquals(10, l.current().parent());
    assertEquals(11, t.latest().orElseThrow().version());
  }

  @Test
  void publishesNothingWhenEverySegmentIsStaleOrTheWindowIsEmpty() throws Exception {
    InMemoryTransport t = new InMemoryTransport(16);
    MetaLearner l = learner(t, 10, 0);
    t.send(seg(9, 1, 2));
    assertFalse(l.step().published());
    assertFalse(l.step().published());
    assertEquals(10, l.current().version());
    assertEquals(1, l.droppedStale());
  }

  @Test
  void nonFiniteTermsNeverReachTheta() throws Exception {
    InMemoryTransport t = new InMemoryTransport(16);
    MetaLearner l = learner(t, 0, 5);
    t.send(seg(0, Double.NaN, 1));
    MetaLearner.StepReport r = l.step();
    assertFalse(r.published());
    assertEquals(1, r.droppedNonFinite());
    for (float x : l.current().theta()) {
      assertEquals(0f, x);
    }
  }

  @Test
  void stepsDownhillOnTheSegmentsLossDifference() throws Exception {
    InMemoryTransport t = new InMemoryTransport(16);
    MetaLearner l = learner(t, 0, 5);
    // + side worse than − side along z(11): the update must move θ against z(11), i.e. <Δθ, z> < 0.
    t.send(seg(0, 2, 1));
    l.step();
    float[] z = new float[3];
    org.metaopt.core.meta.Perturbations.normal(11, z);
    double dot = 0;
    for (int i = 0; i < 3; i++) {
      dot += l.current().theta()[i] * z[i];
    }
    assertTrue(dot < 0, "step must lower the loss along the estimate, got <dθ, z> = " + dot);
  }

  @Test
  void anExternallyDrivenLearnerUpdatesButRefusesToPollWithAClearMessage() {
    OptimizerVersion v = OptimizerVersion.of(10, 9, "test", Map.of(), new float[] {0, 0, 0}, null, PROV);
    MetaLearner l = new MetaLearner(v, new MetaLearner.Settings(4, Duration.ofMillis(20), 2,
        ObjectiveWeights.meanLogLossRatioOnly(), 0.01, 10, PROV));
    IllegalStateException e = assertThrows(IllegalStateException.class, l::step);
    assertTrue(e.getMessage().contains("update(window, description)"), e.getMessage());
    MetaLearner.StepReport r = l.update(List.of(seg(10, 2, 1), seg(10, 1, 2)), "w");
    assertTrue(r.published());
    assertEquals(11, l.current().version());
    assertEquals("w", l.current().provenance().window());
  }
}
