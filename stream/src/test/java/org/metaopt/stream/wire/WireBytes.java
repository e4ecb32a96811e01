package org.metaopt.stream.wire;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;

/** Hand-built wire records for tests: any envelope in front of any Avro record. */
final class WireBytes {
  private WireBytes() {}

  static byte[] of(RecordKind kind, int major, int minor, GenericRecord body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(0x4D);
    out.write(0x4F);
    out.write(kind.code());
    out.write(major);
    out.write(minor);
    try {
      BinaryEncoder enc = EncoderFactory.get().directBinaryEncoder(out, null);
      new GenericDatumWriter<GenericRecord>(body.getSchema()).write(body, enc);
      enc.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
