package org.metaopt.stream.wire;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipException;

/**
 * The export/import file of a range of Kafka records, so recorded runs can be shared and replayed elsewhere. A file
 * is gzip of, in {@link DataOutputStream} encoding (big-endian):
 *
 * <pre>
 *   "metaopt-records" (15 ASCII bytes)  int formatVersion (1)
 *   per record:  byte 1, int bodyLength, body =
 *                  int topicLength, topic (UTF-8), int partition, long offset, long timestamp,
 *                  int keyLength (-1 for null), key, int valueLength (-1 for null), value
 *   end marker:  byte 0, long recordCount
 * </pre>
 *
 * A file without its end marker (a cut-short copy), with a count that disagrees, or with bytes after the marker is
 * rejected, as is anything that is not a record file or has a newer format version: every such problem is a
 * {@link RecordFileException} whose one-line message names the file. Values are stored as they were on the topic
 * (wire records, see {@link WireFormat}); this file does not decode them.
 */
public final class RecordFile {
  /** The bytes every record file starts with (inside the gzip stream). */
  public static final String MAGIC = "metaopt-records";
  /** The format version this build writes and reads. */
  public static final int FORMAT_VERSION = 1;
  /** Largest record body accepted on read (a guard against garbage lengths). */
  public static final int MAX_RECORD_BYTES = 256 * 1024 * 1024;

  private static final byte[] MAGIC_BYTES = MAGIC.getBytes(StandardCharsets.US_ASCII);
  private static final int TAG_END = 0;
  private static final int TAG_RECORD = 1;
  private static final int BUFFER = 1 << 16;

  private RecordFile() {}

  /**
   * Writes records to a new record file. The file appears, complete, only on {@link #close()} (written to a
   * {@code .part} file alongside and renamed), so a reader never sees a half-written export; an export that fails
   * part-way should call {@link #abort()} before close, so that no complete-looking file appears. Single-threaded.
   */
  public static final class Writer implements AutoCloseable {
    private final Path file;
    private final Path part;
    private final DataOutputStream out;
    private long count;
    private boolean closed;

    private Writer(Path file, Path part, DataOutputStream out) {
      this.file = file;
      this.part = part;
      this.out = out;
    }

    /**
     * Starts a record file at {@code file}, replacing any existing file when closed.
     *
     * @throws RecordFileException when the file cannot be created
     */
    public static Writer open(Path file) {
      Path part = file.resolveSibling(file.getFileName() + ".part");
      try {
        Path dir = file.toAbsolutePath().getParent();
        if (dir != null) {
          Files.createDirectories(dir);
        }
        DataOutputStream out = new DataOutputStream(new BufferedOutputStream(
            new GZIPOutputStream(Files.newOutputStream(part), BUFFER), BUFFER));
        out.write(MAGIC_BYTES);
        out.writeInt(FORMAT_VERSION);
        return new Writer(file, part, out);
      } catch (IOException e) {
        throw new RecordFileException("cannot create record file " + file + ": " + e.getMessage(), e);
      }
    }

    /** Appends one record. */
    public void write(StoredRecord r) {
      if (closed) {
        throw new IllegalStateException("record file " + file + " is already closed");
      }
      byte[] topic = r.topic().getBytes(StandardCharsets.UTF_8);
      long body = 4L + topic.length + 4 + 8 + 8 + 4 + length(r.key()) + 4 + length(r.value());
      if (body > MAX_RECORD_BYTES) {
        throw new IllegalArgumentException("record " + r + " is larger than the " + MAX_RECORD_BYTES
            + "-byte limit of record files");
      }
      try {
        out.writeByte(TAG_RECORD);
        out.writeInt((int) body);
        out.writeInt(topic.length);
        out.write(topic);
        out.writeInt(r.partition());
        out.writeLong(r.offset());
        out.writeLong(r.timestamp());
        writeBytes(r.key());
        writeBytes(r.value());
        count++;
      } catch (IOException e) {
        throw new RecordFileException("cannot write record file " + file + ": " + e.getMessage(), e);
      }
    }

    private static int length(byte[] b) {
      return b == null ? 0 : b.length;
    }

    private void writeBytes(byte[] b) throws IOException {
      out.writeInt(b == null ? -1 : b.length);
      if (b != null) {
        out.write(b);
      }
    }

    /** Records written so far. */
    public long count() {
      return count;
    }

    /** Discards the export: deletes the partial file; a later {@link #close()} does nothing. Idempotent. */
    public void abort() {
      if (closed) {
        return;
      }
      closed = true;
      try {
        out.close();
      } catch (IOException ignored) {
        // the file is being thrown away
      }
      try {
        Files.deleteIfExists(part);
      } catch (IOException e) {
        throw new RecordFileException("cannot delete partial record file " + part + ": " + e.getMessage(), e);
      }
    }

    /** Writes the end marker, closes and moves the file into place. Idempotent; does nothing after abort. */
    @Override
    public void close() {
      if (closed) {
        return;
      }
      closed = true;
      try {
        out.writeByte(TAG_END);
        out.writeLong(count);
        out.close();
        Files.move(part, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException e) {
        throw new RecordFileException("cannot finish record file " + file + ": " + e.getMessage(), e);
      }
    }
  }

  /**
   * Reads a record file front to back: {@link #next()} until it returns null, or iterate. Checks the header on
   * {@link #open}, and the end marker and the gzip checksum when the last record has been read. Single-threaded.
   */
  public static final class Reader implements AutoCloseable, Iterable<StoredRecord> {
    private final Path file;
    private final DataInputStream in;
    private long count;
    private boolean atEnd;

    private Reader(Path file, DataInputStream in) {
      this.file = file;
      this.in = in;
    }

    /**
     * Opens a record file and checks its header.
     *
     * @throws RecordFileException when the file is missing, not a record file, or of a newer format version
     */
    public static Reader open(Path file) {
      InputStream raw;
      try {
        raw = Files.newInputStream(file);
      } catch (NoSuchFileException e) {
        throw new RecordFileException("record file not found: " + file);
      } catch (IOException e) {
        throw new RecordFileException("cannot read record file " + file + ": " + e.getMessage(), e);
      }
      try {
        DataInputStream in = new DataInputStream(new BufferedInputStream(new GZIPInputStream(raw, BUFFER), BUFFER));
        byte[] magic = in.readNBytes(MAGIC_BYTES.length);
        if (!Arrays.equals(magic, MAGIC_BYTES)) {
          throw new RecordFileException(file + " is not a metaopt record file (it is gzip but does not start with '"
              + MAGIC + "')");
        }
        int version = in.readInt();
        if (version != FORMAT_VERSION) {
          throw new RecordFileException(file + " has record file format version " + version + "; this metaopt reads "
              + FORMAT_VERSION + (version > FORMAT_VERSION ? " (upgrade metaopt)" : ""));
        }
        return new Reader(file, in);
      } catch (RecordFileException e) {
        closeQuietly(raw);
        throw e;
      } catch (ZipException e) {
        closeQuietly(raw);
        throw new RecordFileException(file + " is not a metaopt record file (not gzip data: " + e.getMessage() + ")");
      } catch (EOFException e) {
        closeQuietly(raw);
        throw new RecordFileException(file + " is not a metaopt record file (it ends inside the header)");
      } catch (IOException e) {
        closeQuietly(raw);
        throw new RecordFileException("cannot read record file " + file + ": " + e.getMessage(), e);
      }
    }

    private static void closeQuietly(InputStream s) {
      try {
        s.close();
      } catch (IOException ignored) {
        // already failing with a clearer message
      }
    }

    /**
     * The next record, or null after the last one (once the end marker and checksum have been verified).
     *
     * @throws RecordFileException when the file is truncated or corrupt
     */
    public StoredRecord next() {
      if (atEnd) {
        return null;
      }
      try {
        int tag = in.read();
        if (tag == TAG_END) {
          finish();
          return null;
        }
        if (tag != TAG_RECORD) {
          throw corrupt(tag < 0 ? null : "unexpected byte " + tag + " where a record or the end marker belongs");
        }
        int length = in.readInt();
        if (length < 0 || length > MAX_RECORD_BYTES) {
          throw corrupt("record " + count + " declares " + length + " bytes (limit " + MAX_RECORD_BYTES + ")");
        }
        byte[] body = in.readNBytes(length);
        if (body.length < length) {
          throw corrupt(null);
        }
        StoredRecord r = parse(body);
        count++;
        return r;
      } catch (EOFException e) {
        throw corrupt(null);
      } catch (ZipException e) {
        throw corrupt("gzip data is damaged: " + e.getMessage());
      } catch (IOException e) {
        throw new RecordFileException("cannot read record file " + file + ": " + e.getMessage(), e);
      }
    }

    private void finish() throws IOException {
      long declared = in.readLong();
      if (declared != count) {
        throw corrupt("its end marker counts " + declared + " records but it holds " + count);
      }
      if (in.read() != -1) {
        throw corrupt("bytes follow the end marker");
      }
      atEnd = true;
    }

    private StoredRecord parse(byte[] body) {
      java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(body);
      try {
        String topic = new String(chunk(b, b.getInt(), false), StandardCharsets.UTF_8);
        int partition = b.getInt();
        long offset = b.getLong();
        long timestamp = b.getLong();
        byte[] key = chunk(b, b.getInt(), true);
        byte[] value = chunk(b, b.getInt(), true);
        if (b.hasRemaining()) {
          throw corrupt("record " + count + " has " + b.remaining() + " bytes beyond its fields");
        }
        return new StoredRecord(topic, partition, offset, timestamp, key, value);
      } catch (java.nio.BufferUnderflowException | IllegalArgumentException e) {
        throw corrupt("record " + count + " is damaged (its fields do not fit its length)");
      }
    }

    private static byte[] chunk(java.nio.ByteBuffer b, int n, boolean nullable) {
      if (n == -1 && nullable) {
        return null;
      }
      if (n < 0 || n > b.remaining()) {
        throw new IllegalArgumentException("length " + n);
      }
      byte[] out = new byte[n];
      b.get(out);
      return out;
    }

    private RecordFileException corrupt(String what) {
      return new RecordFileException(what == null
          ? file + " is truncated: it ends after " + count + " records without its end marker (the export was cut"
              + " short; copy or export it again)"
          : file + " is corrupt after " + count + " records: " + what);
    }

    /** Records read so far. */
    public long count() {
      return count;
    }

    /** An iterator over the records not read yet; its methods throw {@link RecordFileException} like next(). */
    @Override
    public Iterator<StoredRecord> iterator() {
      return new Iterator<>() {
        private StoredRecord ahead;

        @Override
        public boolean hasNext() {
          if (ahead == null) {
            ahead = Reader.this.next();
          }
          return ahead != null;
        }

        @Override
        public StoredRecord next() {
          if (!hasNext()) {
            throw new NoSuchElementException("no more records in " + file);
          }
          StoredRecord r = ahead;
          ahead = null;
          return r;
        }
      };
    }

    @Override
    public void close() {
      try {
        in.close();
      } catch (IOException e) {
        throw new RecordFileException("cannot close record file " + file + ": " + e.getMessage(), e);
      }
    }
  }
}
