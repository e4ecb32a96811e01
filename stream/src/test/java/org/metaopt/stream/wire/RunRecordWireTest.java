package org.metaopt.stream.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;

/** Recorded runs on the wire: round trip, routing by envelope, and the evolution rule for their schema. */
class RunRecordWireTest {

  static RunRecord sample(int chunk, boolean last) {
    return new RunRecord("run-42", chunk, "MultiLayerNetwork 784-128-10", 101_770, "celo2", 0,
        "ab".repeat(32), 50L * chunk, 1, new float[] {2.3f, 1.9f, 1.5f}, new float[] {0.8f, 0.7f, Float.NaN},
        new float[] {0.1f, 0.09f, 0.05f}, new float[] {12.5f, 11f, 11.25f}, last, "2026-12-10T10:00:00Z");
  }

  static void assertSameRun(RunRecord a, RunRecord b) {
    assertEquals(a.runId(), b.runId());
    assertEquals(a.chunk(), b.chunk());
    assertEquals(a.model(), b.model());
    assertEquals(a.numParams(), b.numParams());
    assertEquals(a.optimizer(), b.optimizer());
    assertEquals(a.optimizerVersion(), b.optimizerVersion());
    assertEquals(a.thetaSha256(), b.thetaSha256());
    assertEquals(a.stepOffset(), b.stepOffset());
    assertEquals(a.epoch(), b.epoch());
    assertArrayEquals(a.losses(), b.losses());
    assertArrayEquals(a.gradientNorms(), b.gradientNorms());
    assertArrayEquals(a.gradientMaxAbs(), b.gradientMaxAbs());
    assertArrayEquals(a.stepMillis(), b.stepMillis());
    assertEquals(a.last(), b.last());
    assertEquals(a.createdAt(), b.createdAt());
  }

  @Test
  void aRecordedRunSurvivesTheWire() {
    RunRecord r = sample(3, true);
    byte[] bytes = WireFormat.encode(r);
    assertEquals(new WireFormat.Header(RecordKind.RUN, WireFormat.RUN_MAJOR, WireFormat.RUN_MINOR),
        WireFormat.peek(bytes));
    assertSameRun(r, WireFormat.decodeRun(bytes));
    assertEquals(150, r.stepOffset());
    assertEquals(153, r.stepEnd());
  }

  @Test
  void consumersOfSegmentsTellRecordedRunsByTheirEnvelope() {
    assertTrue(WireFormat.isRecordedRun(WireFormat.encode(sample(0, false))));
    assertFalse(WireFormat.isRecordedRun(WireFormat.encode(WireSamples.segment(4, 0, 1))));
    assertFalse(WireFormat.isRecordedRun(WireFormat.encode(WireSamples.evaluation())));
    assertFalse(WireFormat.isRecordedRun(null));
    assertFalse(WireFormat.isRecordedRun(new byte[] {0x4D, 0x4F, 4}));
    assertFalse(WireFormat.isRecordedRun("not a record".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    MalformedRecordException e = assertThrows(MalformedRecordException.class,
        () -> WireFormat.decodeSegment(WireFormat.encode(sample(0, false))));
    assertEquals("expected a segment record, got a recorded run record", e.reason());
  }

  /** What the learner and replay read from the trajectories topic: a segment, null for a run, else malformed. */
  @Test
  void aMalformedRecordedRunIsMalformedForTheLearnerNotSkipped() {
    assertNull(WireFormat.segmentOrNullForRun(WireFormat.encode(sample(0, false))));
    assertEquals(4, WireFormat.segmentOrNullForRun(WireFormat.encode(WireSamples.segment(4, 0, 1))).steps());
    byte[] segmentUnderRunKind = WireFormat.encode(WireSamples.segment(4, 0, 1));
    segmentUnderRunKind[2] = (byte) RecordKind.RUN.code();
    assertTrue(WireFormat.isRecordedRun(segmentUnderRunKind), "the envelope says recorded run");
    assertThrows(MalformedRecordException.class, () -> WireFormat.segmentOrNullForRun(segmentUnderRunKind));
    byte[] run = WireFormat.encode(sample(0, false));
    assertThrows(MalformedRecordException.class,
        () -> WireFormat.segmentOrNullForRun(java.util.Arrays.copyOf(run, run.length - 3)));
  }

  @Test
  void perStepArraysOfDifferentLengthsAreRejected() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new RunRecord("r", 0, "m", 1,
        "adam", -1, "", 0, 0, new float[2], new float[3], new float[2], new float[2], false, "2026-12-10T10:00:00Z"));
    assertTrue(e.getMessage().contains("per-step arrays differ in length"), e.getMessage());
  }

  @Test
  void aReaderOfThisMinorDecodesANewerMinorWithAnAppendedField() {
    Schema now = Schemas.current(RecordKind.RUN);
    List<Schema.Field> fields = new ArrayList<>();
    for (Schema.Field f : now.getFields()) {
      fields.add(new Schema.Field(f, f.schema()));
    }
    Schema.Field host = new Schema.Field("host", Schema.create(Schema.Type.STRING), "where it ran", "");
    host.addProp(Schemas.SINCE_MINOR, WireFormat.RUN_MINOR + 1);
    fields.add(host);
    Schema next = Schema.createRecord(now.getName(), now.getDoc(), now.getNamespace(), false, fields);
    RunRecord r = sample(1, false);
    GenericRecord cur = RunCodec.toRecord(r);
    GenericData.Record newer = new GenericData.Record(next);
    for (Schema.Field f : now.getFields()) {
      newer.put(f.name(), cur.get(f.name()));
    }
    newer.put("host", "gpu-7");
    assertSameRun(r, WireFormat.decodeRun(WireBytes.of(RecordKind.RUN, 1, WireFormat.RUN_MINOR + 1, newer)));
  }
}
