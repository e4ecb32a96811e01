package org.metaopt.stream.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.metaopt.core.UserError;

class RecordFileTest {
  @TempDir Path dir;

  private static List<StoredRecord> records(int n) {
    Random rng = new Random(n);
    List<StoredRecord> out = new ArrayList<>();
    byte[] segment = WireFormat.encode(WireSamples.segment(20, 0, 1));
    for (int i = 0; i < n; i++) {
      byte[] key = i % 7 == 0 ? null : Long.toString(i).getBytes(StandardCharsets.UTF_8);
      byte[] value;
      if (i % 11 == 0) {
        value = null;
      } else if (i % 3 == 0) {
        value = new byte[rng.nextInt(2000)];
        rng.nextBytes(value);
      } else {
        value = segment;
      }
      out.add(new StoredRecord(i % 5 == 0 ? "metaopt.versions.v1" : "metaopt.trajectories.v1", i % 2, 1000L + i,
          1_700_000_000_000L + i, key, value));
    }
    return out;
  }

  private Path write(String name, List<StoredRecord> rs) {
    Path f = dir.resolve(name);
    try (RecordFile.Writer w = RecordFile.Writer.open(f)) {
      for (StoredRecord r : rs) {
        w.write(r);
      }
      assertEquals(rs.size(), w.count());
    }
    return f;
  }

  @Test
  void thousandsOfRecordsRoundTripInOrderWithNullKeysAndValues() {
    List<StoredRecord> rs = records(5000);
    Path f = write("run.records.gz", rs);
    List<StoredRecord> back = new ArrayList<>();
    try (RecordFile.Reader r = RecordFile.Reader.open(f)) {
      for (StoredRecord s : r) {
        back.add(s);
      }
      assertEquals(5000, r.count());
      assertNull(r.next());
    }
    assertEquals(rs, back);
    assertNull(back.get(0).key());
    assertNull(back.get(11).value());
    assertEquals(WireSamples.segment(20, 0, 1).lossesPos()[3],
        WireFormat.decodeSegment(back.get(1).value()).lossesPos()[3]);
  }

  @Test
  void anEmptyExportIsValid() {
    Path f = write("empty.gz", List.of());
    try (RecordFile.Reader r = RecordFile.Reader.open(f)) {
      assertNull(r.next());
      assertNull(r.next());
    }
  }

  @Test
  void everyTruncationIsDetectedNamingTheFile() throws IOException {
    Path f = write("full.gz", records(300));
    byte[] full = Files.readAllBytes(f);
    for (int cut : new int[] {full.length - 1, full.length - 8, full.length - 9, full.length / 2, 40, 20}) {
      Path t = dir.resolve("cut-" + cut + ".gz");
      Files.write(t, Arrays.copyOf(full, cut));
      RecordFileException e = assertThrows(RecordFileException.class, () -> readAll(t), "cut at " + cut);
      assertTrue(e.getMessage().startsWith(t.toString()), e.getMessage());
      assertFalse(e.getMessage().contains("\n"));
    }
  }

  @Test
  void aStreamCutBeforeItsEndMarkerIsTruncated() throws IOException {
    Path f = dir.resolve("no-end.gz");
    writeRaw(f, out -> {
      try {
        out.write(RecordFile.MAGIC.getBytes(StandardCharsets.US_ASCII));
        out.writeInt(1);
      } catch (IOException e) {
        throw new RuntimeException(e);
      }
    });
    RecordFileException e = assertThrows(RecordFileException.class, () -> readAll(f));
    assertEquals(f + " is truncated: it ends after 0 records without its end marker (the export was cut short; copy"
        + " or export it again)", e.getMessage());
  }

  @Test
  void aWrongCountInTheEndMarkerIsCorrupt() throws IOException {
    Path f = dir.resolve("count.gz");
    writeRaw(f, out -> {
      try {
        out.write(RecordFile.MAGIC.getBytes(StandardCharsets.US_ASCII));
        out.writeInt(1);
        out.writeByte(0);
        out.writeLong(3);
      } catch (IOException e) {
        throw new RuntimeException(e);
      }
    });
    assertEquals(f + " is corrupt after 0 records: its end marker counts 3 records but it holds 0",
        assertThrows(RecordFileException.class, () -> readAll(f)).getMessage());
  }

  @Test
  void filesThatAreNotRecordFilesOrOfANewerVersionAreRejected() throws IOException {
    Path text = dir.resolve("notes.txt");
    Files.writeString(text, "hello, this is not gzip");
    assertTrue(message(text).startsWith(text + " is not a metaopt record file (not gzip data"), message(text));
    Path otherGzip = dir.resolve("other.gz");
    writeRaw(otherGzip, out -> {
      try {
        out.writeBytes("some other gzip file, long enough");
      } catch (IOException e) {
        throw new RuntimeException(e);
      }
    });
    assertEquals(otherGzip + " is not a metaopt record file (it is gzip but does not start with 'metaopt-records')",
        message(otherGzip));
    Path v2 = dir.resolve("v2.gz");
    writeRaw(v2, out -> {
      try {
        out.write(RecordFile.MAGIC.getBytes(StandardCharsets.US_ASCII));
        out.writeInt(2);
      } catch (IOException e) {
        throw new RuntimeException(e);
      }
    });
    assertEquals(v2 + " has record file format version 2; this metaopt reads 1 (upgrade metaopt)", message(v2));
    Path missing = dir.resolve("missing.gz");
    assertEquals("record file not found: " + missing, message(missing));
    Path empty = dir.resolve("empty-file.gz");
    Files.write(empty, new byte[0]);
    assertTrue(message(empty).startsWith(empty + " is not a metaopt record file"), message(empty));
  }

  @Test
  void garbageLengthsInsideTheStreamAreCorruptNotOutOfMemory() throws IOException {
    Path f = dir.resolve("huge.gz");
    writeRaw(f, out -> {
      try {
        out.write(RecordFile.MAGIC.getBytes(StandardCharsets.US_ASCII));
        out.writeInt(1);
        out.writeByte(1);
        out.writeInt(Integer.MAX_VALUE);
      } catch (IOException e) {
        throw new RuntimeException(e);
      }
    });
    assertTrue(message(f).contains("record 0 declares 2147483647 bytes"), message(f));
    Path g = dir.resolve("inner.gz");
    writeRaw(g, out -> {
      try {
        out.write(RecordFile.MAGIC.getBytes(StandardCharsets.US_ASCII));
        out.writeInt(1);
        out.writeByte(1);
        out.writeInt(8);
        out.writeInt(Integer.MAX_VALUE);
        out.writeInt(0);
      } catch (IOException e) {
        throw new RuntimeException(e);
      }
    });
    assertEquals(g + " is corrupt after 0 records: record 0 is damaged (its fields do not fit its length)",
        message(g));
  }

  @Test
  void recordFileErrorsAreUserErrors() {
    assertTrue(UserError.class.isAssignableFrom(RecordFileException.class));
  }

  @Test
  void anAbortedExportLeavesNoFile() {
    Path f = dir.resolve("aborted.gz");
    try (RecordFile.Writer w = RecordFile.Writer.open(f)) {
      w.write(records(1).get(0));
      w.abort();
    }
    assertFalse(Files.exists(f));
    assertFalse(Files.exists(dir.resolve("aborted.gz.part")));
  }

  private static String message(Path f) {
    return assertThrows(RecordFileException.class, () -> readAll(f)).getMessage();
  }

  private static int readAll(Path f) {
    int n = 0;
    try (RecordFile.Reader r = RecordFile.Reader.open(f)) {
      while (r.next() != null) {
        n++;
      }
    }
    return n;
  }

  private static void writeRaw(Path f, Consumer<DataOutputStream> body) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (OutputStream gz = new GZIPOutputStream(bytes); DataOutputStream out = new DataOutputStream(gz)) {
      body.accept(out);
    }
    Files.write(f, bytes.toByteArray());
  }
}
