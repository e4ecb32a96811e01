package org.metaopt.stream.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;
import org.metaopt.core.meta.Segment;

/** The evolution rule: minors append fields at the end; older readers ignore them, newer readers fill defaults. */
class WireFormatEvolutionTest {

  /** What a 1.1 segment schema would be: 1.0's fields plus one appended field with a default. */
  private static Schema segmentSchema11() {
    Schema now = Schemas.current(RecordKind.SEGMENT);
    List<Schema.Field> fields = new ArrayList<>();
    for (Schema.Field f : now.getFields()) {
      fields.add(new Schema.Field(f, f.schema()));
    }
    Schema.Field host = new Schema.Field("workerHost", Schema.create(Schema.Type.STRING), "where it ran", "");
    host.addProp(Schemas.SINCE_MINOR, NEXT);
    fields.add(host);
    return Schema.createRecord(now.getName(), now.getDoc(), now.getNamespace(), false, fields);
  }

  /** The minor after this build's: a future writer appends a field there. */
  private static final int NEXT = WireFormat.SEGMENT_MINOR + 1;

  private static GenericRecord as11(Segment s, String host) {
    GenericRecord r10 = SegmentCodec.toRecord(s);
    GenericData.Record r11 = new GenericData.Record(segmentSchema11());
    for (Schema.Field f : r10.getSchema().getFields()) {
      r11.put(f.name(), r10.get(f.name()));
    }
    r11.put("workerHost", host);
    return r11;
  }

  @Test
  void aReaderOfMinor0DecodesAMinor1RecordWithAnAppendedField() {
    Segment s = WireSamples.segment(20, 5, 9);
    byte[] bytes = WireBytes.of(RecordKind.SEGMENT, 1, NEXT, as11(s, "worker-7.example.org"));
    assertEquals(new WireFormat.Header(RecordKind.SEGMENT, 1, NEXT), WireFormat.peek(bytes));
    WireFormatTest.assertSameSegment(s, WireFormat.decodeSegment(bytes));
  }

  @Test
  void theSameBytesLabelledMinor0AreRejectedForTheirTrailingBytes() {
    byte[] bytes = WireBytes.of(RecordKind.SEGMENT, 1, WireFormat.SEGMENT_MINOR,
        as11(WireSamples.segment(2, 0, 9), "w"));
    MalformedRecordException e =
        assertThrows(MalformedRecordException.class, () -> WireFormat.decodeSegment(bytes));
    assertEquals("garbage in segment 1." + WireFormat.SEGMENT_MINOR + " record: 2 bytes after the last field",
        e.reason());
  }

  @Test
  void aReaderOfMinor1FillsTheAppendedFieldsDefaultWhenReadingAMinor0Record() throws Exception {
    Schema reader = segmentSchema11();
    Schema writer = Schemas.prefix(reader, WireFormat.SEGMENT_MINOR);
    assertEquals(Schemas.current(RecordKind.SEGMENT).getFields().size(), writer.getFields().size());
    byte[] bytes = WireFormat.encode(WireSamples.segment(3, 0, 9));
    BoundedDecoder in = new BoundedDecoder(bytes, WireFormat.HEADER_BYTES);
    GenericRecord r = new GenericDatumReader<GenericRecord>(writer, reader).read(null, in);
    assertEquals(0, in.remainingBytes());
    assertEquals("", r.get("workerHost").toString());
    assertEquals(9L, r.get("particleId"));
  }

  @Test
  void aSegment10RecordDecodesWithTheFinalLogLossRatioUnmeasured() {
    // a 1.0 writer knew the six terms only: its records end before the 1.1 fields
    org.metaopt.core.meta.Segment s = WireSamples.segment(5, 0, 9);
    GenericRecord now = SegmentCodec.toRecord(s);
    Schema v10 = Schemas.prefix(Schemas.current(RecordKind.SEGMENT), 0);
    GenericData.Record old = new GenericData.Record(v10);
    for (Schema.Field f : v10.getFields()) {
      old.put(f.name(), now.get(f.name()));
    }
    org.metaopt.core.meta.Segment back = WireFormat.decodeSegment(WireBytes.of(RecordKind.SEGMENT, 1, 0, old));
    assertTrue(Double.isNaN(back.termsPos().finalLogLossRatio()));
    assertTrue(Double.isNaN(back.termsNeg().finalLogLossRatio()));
    assertEquals(s.termsPos().meanLogLossRatio(), back.termsPos().meanLogLossRatio());
  }

  @Test
  void aSegment12RecordDecodesWithoutTheSgldTermOrFlatnessStartValues() {
    org.metaopt.core.meta.Segment s = WireSamples.segment(4, 0, 11);
    GenericRecord now = SegmentCodec.toRecord(s);
    Schema v12 = Schemas.prefix(Schemas.current(RecordKind.SEGMENT), 2);
    GenericData.Record old = new GenericData.Record(v12);
    for (Schema.Field f : v12.getFields()) {
      old.put(f.name(), now.get(f.name()));
    }
    org.metaopt.core.meta.Segment back = WireFormat.decodeSegment(WireBytes.of(RecordKind.SEGMENT, 1, 2, old));
    assertTrue(Double.isNaN(back.termsPos().negLocalEntropySgld()));
    assertEquals(null, back.flatnessStart());
    assertEquals(s.termsPos().meanClippedLoss(), back.termsPos().meanClippedLoss());
    org.metaopt.core.meta.Segment current = WireFormat.decodeSegment(WireFormat.encode(s));
    assertEquals(-0.25, current.termsPos().negLocalEntropySgld());
    assertEquals(40.5, current.flatnessStart().hessianTrace());
    assertEquals(-3.5, current.flatnessStart().negLocalEntropySgld());
  }

  @Test
  void theFinalLogLossRatioTravelsFrom11On() {
    org.metaopt.core.meta.Segment s = WireSamples.segment(5, 0, 9);
    org.metaopt.core.meta.ObjectiveTerms t = s.termsPos();
    org.metaopt.core.meta.Segment withTerm = new org.metaopt.core.meta.Segment(s.particleId(), s.trajectoryId(),
        s.segmentIndex(), true, s.baseVersion(), s.estimator(), s.sigma(), s.perturbationSeeds(), s.task(),
        s.stepOffset(), s.initialLoss(), s.lossesPos(), s.lossesNeg(), s.gradNormPos(), s.gradNormNeg(),
        new org.metaopt.core.meta.ObjectiveTerms(t.finalLoss(), t.meanLogLossRatio(), t.validationLoss(),
            t.hessianTrace(), t.topEigenvalue(), t.negLocalEntropy(), -2.5),
        new org.metaopt.core.meta.ObjectiveTerms(t.finalLoss(), t.meanLogLossRatio(), t.validationLoss(),
            t.hessianTrace(), t.topEigenvalue(), t.negLocalEntropy(), -1.25),
        s.divergedPos(), s.divergedNeg(), s.rawGradients());
    org.metaopt.core.meta.Segment back = WireFormat.decodeSegment(WireFormat.encode(withTerm));
    assertEquals(-2.5, back.termsPos().finalLogLossRatio());
    assertEquals(-1.25, back.termsNeg().finalLogLossRatio());
  }

  @Test
  void anEvaluation10RecordDecodesWithoutTheYardstickFieldsAnd11CarriesThem() {
    EvaluationRecord e = WireSamples.evaluation();
    GenericRecord now = EvaluationCodec.toRecord(e);
    Schema v10 = Schemas.prefix(Schemas.current(RecordKind.EVALUATION), 0);
    GenericData.Record old = new GenericData.Record(v10);
    for (Schema.Field f : v10.getFields()) {
      old.put(f.name(), now.get(f.name()));
    }
    EvaluationRecord back = WireFormat.decodeEvaluation(WireBytes.of(RecordKind.EVALUATION, 1, 0, old));
    assertEquals(e.winRateTrainLoss(), back.winRateTrainLoss());
    assertTrue(Double.isNaN(back.winRateVsBest()));
    assertTrue(Double.isNaN(back.medianSpeedupVsAdam()));

    EvaluationRecord withYardstick = new EvaluationRecord(e.version(), e.thetaSha256(), e.architecture(), e.suite(),
        e.seeds(), e.rows(), e.tasks(), e.winRateTrainLoss(), e.classifierTasks(), e.winRateTestAccuracy(),
        e.geometricMeanLossRatio(), e.seconds(), e.createdAt(), 0.25, 0.5, 1.5);
    EvaluationRecord again = WireFormat.decodeEvaluation(WireFormat.encode(withYardstick));
    assertEquals(0.25, again.winRateVsAdamCosine());
    assertEquals(0.5, again.winRateVsBest());
    assertEquals(1.5, again.medianSpeedupVsAdam());
  }
}
