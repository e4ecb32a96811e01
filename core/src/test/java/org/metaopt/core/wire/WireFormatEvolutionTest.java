package org.metaopt.core.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
    host.addProp(Schemas.SINCE_MINOR, 1);
    fields.add(host);
    return Schema.createRecord(now.getName(), now.getDoc(), now.getNamespace(), false, fields);
  }

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
    byte[] bytes = WireBytes.of(RecordKind.SEGMENT, 1, 1, as11(s, "worker-7.example.org"));
    assertEquals(new WireFormat.Header(RecordKind.SEGMENT, 1, 1), WireFormat.peek(bytes));
    WireFormatTest.assertSameSegment(s, WireFormat.decodeSegment(bytes));
  }

  @Test
  void theSameBytesLabelledMinor0AreRejectedForTheirTrailingBytes() {
    byte[] bytes = WireBytes.of(RecordKind.SEGMENT, 1, 0, as11(WireSamples.segment(2, 0, 9), "w"));
    MalformedRecordException e =
        assertThrows(MalformedRecordException.class, () -> WireFormat.decodeSegment(bytes));
    assertEquals("garbage in segment 1.0 record: 2 bytes after the last field", e.reason());
  }

  @Test
  void aReaderOfMinor1FillsTheAppendedFieldsDefaultWhenReadingAMinor0Record() throws Exception {
    Schema reader = segmentSchema11();
    Schema writer = Schemas.prefix(reader, 0);
    assertEquals(Schemas.current(RecordKind.SEGMENT).getFields().size(), writer.getFields().size());
    byte[] bytes = WireFormat.encode(WireSamples.segment(3, 0, 9));
    BoundedDecoder in = new BoundedDecoder(bytes, WireFormat.HEADER_BYTES);
    GenericRecord r = new GenericDatumReader<GenericRecord>(writer, reader).read(null, in);
    assertEquals(0, in.remainingBytes());
    assertEquals("", r.get("workerHost").toString());
    assertEquals(9L, r.get("particleId"));
  }
}
