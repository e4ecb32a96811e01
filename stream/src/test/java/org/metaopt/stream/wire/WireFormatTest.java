package org.metaopt.stream.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.metaopt.core.meta.EstimatorKind;
import org.metaopt.core.meta.ObjectiveTerms;
import org.metaopt.core.meta.Segment;
import org.metaopt.core.spec.SpecHash;
import org.metaopt.core.spec.SpecLoader;
import org.metaopt.core.spec.TaskSpec;
import org.metaopt.core.version.OptimizerVersion;

class WireFormatTest {

  static void assertSameSegment(Segment a, Segment b) {
    assertEquals(a.particleId(), b.particleId());
    assertEquals(a.trajectoryId(), b.trajectoryId());
    assertEquals(a.segmentIndex(), b.segmentIndex());
    assertEquals(a.endsTrajectory(), b.endsTrajectory());
    assertEquals(a.baseVersion(), b.baseVersion());
    assertEquals(a.estimator(), b.estimator());
    assertEquals(a.sigma(), b.sigma());
    assertArrayEquals(a.perturbationSeeds(), b.perturbationSeeds());
    assertEquals(a.task(), b.task());
    assertEquals(a.stepOffset(), b.stepOffset());
    assertEquals(a.initialLoss(), b.initialLoss());
    assertArrayEquals(a.lossesPos(), b.lossesPos());
    assertArrayEquals(a.lossesNeg(), b.lossesNeg());
    assertArrayEquals(a.gradNormPos(), b.gradNormPos());
    assertArrayEquals(a.gradNormNeg(), b.gradNormNeg());
    assertEquals(a.termsPos(), b.termsPos());
    assertEquals(a.termsNeg(), b.termsNeg());
    assertEquals(a.divergedPos(), b.divergedPos());
    assertEquals(a.divergedNeg(), b.divergedNeg());
    assertEquals(a.flatnessStart(), b.flatnessStart());
    if (a.rawGradients() == null) {
      assertNull(b.rawGradients());
    } else {
      assertEquals(a.rawGradients().numParams(), b.rawGradients().numParams());
      assertArrayEquals(a.rawGradients().pos(), b.rawGradients().pos());
      assertArrayEquals(a.rawGradients().neg(), b.rawGradients().neg());
    }
  }

  static void assertSameVersion(OptimizerVersion a, OptimizerVersion b) {
    assertEquals(a.version(), b.version());
    assertEquals(a.parent(), b.parent());
    assertEquals(a.architecture(), b.architecture());
    assertEquals(a.hyperparameters(), b.hyperparameters());
    assertArrayEquals(a.theta(), b.theta());
    assertEquals(a.thetaSha256(), b.thetaSha256());
    if (a.metaState() == null) {
      assertNull(b.metaState());
    } else {
      assertEquals(a.metaState().step(), b.metaState().step());
      assertArrayEquals(a.metaState().m(), b.metaState().m());
      assertArrayEquals(a.metaState().v(), b.metaState().v());
      assertEquals(a.metaState().droppedEstimates(), b.metaState().droppedEstimates());
    }
    assertEquals(a.provenance(), b.provenance());
  }

  @Test
  void segmentRoundTripsEveryFieldBitForBitIncludingTaskNaNAndRawGradients() {
    Segment s = WireSamples.segment(20, 1000, 1);
    byte[] bytes = WireFormat.encode(s);
    Segment back = WireFormat.decodeSegment(bytes);
    assertSameSegment(s, back);
    assertTrue(Float.isNaN(back.lossesPos()[0]));
    assertTrue(Double.isNaN(back.termsPos().validationLoss()));
  }

  @Test
  void segmentWithoutTaskOrRawGradientsRoundTrips() {
    ObjectiveTerms t = new ObjectiveTerms(1, 0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
    Segment s = new Segment(0, 0, 0, true, 9, EstimatorKind.FULL_ES, 0.1, new long[] {1}, null, 0, 1,
        new float[] {1}, new float[] {2}, new float[] {3}, new float[] {4}, t, t, false, false, null);
    assertSameSegment(s, WireFormat.decodeSegment(WireFormat.encode(s)));
  }

  @Test
  void envelopeCarriesMagicKindAndSchemaVersion() {
    byte[] seg = WireFormat.encode(WireSamples.segment(3, 0, 1));
    assertArrayEquals(new byte[] {0x4D, 0x4F, 1, 1, (byte) WireFormat.SEGMENT_MINOR}, java.util.Arrays.copyOf(seg, 5));
    assertEquals(new WireFormat.Header(RecordKind.SEGMENT, 1, WireFormat.SEGMENT_MINOR), WireFormat.peek(seg));
    assertEquals(3, WireFormat.SEGMENT_MINOR, "1.3 appended negLocalEntropySgld and flatnessStart");
    assertEquals(RecordKind.VERSION, WireFormat.kind(WireFormat.encode(WireSamples.version(10, false))));
    assertEquals(RecordKind.EVALUATION, WireFormat.kind(WireFormat.encode(WireSamples.evaluation())));
  }

  @Test
  void versionRoundTripsThetaMetaStateHyperparametersAndProvenance() {
    OptimizerVersion v = WireSamples.version(1762, true);
    OptimizerVersion back = WireFormat.decodeVersion(WireFormat.encode(v));
    assertSameVersion(v, back);
    assertEquals(List.of(4, 8), back.hyperparameters().get("sizes"));
    assertEquals(Boolean.TRUE, back.hyperparameters().get("flag"));
  }

  @Test
  void versionWithoutMetaStateOrProvenanceRoundTrips() {
    OptimizerVersion v = OptimizerVersion.of(0, -1, "step-size", Map.of(), new float[] {0.5f}, null, null);
    assertSameVersion(v, WireFormat.decodeVersion(WireFormat.encode(v)));
  }

  @Test
  void evaluationRoundTripsWithNaN() {
    EvaluationRecord e = WireSamples.evaluation();
    EvaluationRecord back = WireFormat.decodeEvaluation(WireFormat.encode(e));
    assertEquals(e, back);
    assertTrue(Double.isNaN(back.rows().get(2).trainLoss()));
  }

  @Test
  void alteredThetaIsMalformed() {
    OptimizerVersion v = WireSamples.version(64, false);
    byte[] bytes = WireFormat.encode(v);
    byte[] theta = Floats.toBytes(v.theta()).array();
    int at = indexOf(bytes, theta);
    assertTrue(at > 0);
    bytes[at + 17] ^= 0x01;
    MalformedRecordException e = assertThrows(MalformedRecordException.class, () -> WireFormat.decodeVersion(bytes));
    assertTrue(e.reason().startsWith("invalid optimizer version 1.0 record: θ hash"), e.reason());
  }

  static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  @Test
  void unknownMajorIsRejectedButPeekStillRoutesIt() {
    byte[] bytes = WireFormat.encode(WireSamples.segment(3, 0, 1));
    bytes[3] = 3;
    WireFormat.Header h = WireFormat.peek(bytes);
    assertEquals(RecordKind.SEGMENT, h.kind());
    assertEquals(3, h.major());
    assertTrue(!h.readable());
    MalformedRecordException e = assertThrows(MalformedRecordException.class, () -> WireFormat.decodeSegment(bytes));
    assertEquals("unknown major schema version 3 of segment (this build reads 1)", e.reason());
  }

  @Test
  void wrongMagicWrongKindAndShortInputAreMalformed() {
    byte[] seg = WireFormat.encode(WireSamples.segment(3, 0, 1));
    byte[] notOurs = seg.clone();
    notOurs[0] = '{';
    assertTrue(reason(() -> WireFormat.decodeSegment(notOurs)).startsWith("not a metaopt record"));
    assertEquals("expected an optimizer version record, got a segment record",
        reason(() -> WireFormat.decodeVersion(seg)));
    byte[] unknownKind = seg.clone();
    unknownKind[2] = 9;
    assertTrue(reason(() -> WireFormat.kind(unknownKind)).startsWith("unknown record kind 9"));
    assertTrue(reason(() -> WireFormat.decodeEvaluation(new byte[] {0x4D, 0x4F})).startsWith("truncated record"));
    assertEquals("no record value (null)", reason(() -> WireFormat.decodeSegment(null)));
  }

  static String reason(Runnable r) {
    return assertThrows(MalformedRecordException.class, r::run).reason();
  }

  @Test
  void floatArraysTravelAsFourBytesPerValue() {
    int rawFloats = 2 * 20 * 1000;
    int withRaw = WireFormat.encode(WireSamples.segment(20, 1000, 1)).length;
    int without = WireFormat.encode(WireSamples.segment(20, 0, 1)).length;
    assertTrue(withRaw - without <= 4 * rawFloats + 16, withRaw + " - " + without);
    assertTrue(without < 1024, "a 20-step segment with its task takes " + without + " bytes");
    int version = WireFormat.encode(WireSamples.version(8210, true)).length;
    assertTrue(version <= 3 * 4 * 8210 + 1024, "an 8,210-θ version with its Adam state takes " + version + " bytes");
  }

  @Test
  void everyResolvedExampleTaskSpecDecodesEqualWithTheSameHash() {
    var suite = SpecLoader.load(Path.of("../docs/examples/suite.yaml"));
    assertTrue(suite.tasks().size() >= 5);
    Segment template = WireSamples.segment(2, 0, 1);
    for (TaskSpec spec : suite.tasks()) {
      Segment s = new Segment(1, 2, 0, true, 3, EstimatorKind.TRUNCATED_ES, 0.1, new long[] {4}, spec, 0, 1,
          template.lossesPos(), template.lossesNeg(), template.gradNormPos(), template.gradNormNeg(),
          template.termsPos(), template.termsNeg(), false, false, null);
      TaskSpec back = WireFormat.decodeSegment(WireFormat.encode(s)).task();
      assertEquals(spec, back);
      assertEquals(SpecHash.of(spec), SpecHash.of(back));
    }
  }

  @Test
  void concurrentEncodesAndDecodesAgree() throws Exception {
    var pool = java.util.concurrent.Executors.newFixedThreadPool(4);
    try {
      List<java.util.concurrent.Future<Boolean>> results = new java.util.ArrayList<>();
      for (int t = 0; t < 8; t++) {
        int seed = t;
        results.add(pool.submit(() -> {
          for (int i = 0; i < 200; i++) {
            Segment s = WireSamples.segment(5, i % 3, seed * 1000L + i);
            Segment back = WireFormat.decodeSegment(WireFormat.encode(s));
            OptimizerVersion v = WireFormat.decodeVersion(WireFormat.encode(WireSamples.version(10 + i % 5, true)));
            if (back.particleId() != s.particleId() || !java.util.Arrays.equals(back.lossesNeg(), s.lossesNeg())
                || v.theta().length != 10 + i % 5) {
              return false;
            }
          }
          return true;
        }));
      }
      for (var r : results) {
        assertTrue(r.get());
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
