package org.metaopt.stream.wire;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.Function;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.metaopt.core.meta.Segment;
import org.metaopt.core.version.OptimizerVersion;

/**
 * The bytes of every Kafka record value: segments, optimizer versions, evaluations and recorded runs, each an Avro
 * binary body behind a five-byte envelope. Stateless and thread-safe; every method may be called from any thread.
 *
 * <h2>Envelope</h2>
 *
 * <pre>
 *   byte 0-1  magic 'M' 'O' (0x4D 0x4F)
 *   byte 2    kind: 1 segment, 2 optimizer version, 3 evaluation, 4 recorded run ({@link RecordKind#code()})
 *   byte 3    major schema version of that kind
 *   byte 4    minor schema version of that kind
 *   byte 5..  Avro binary encoding of the kind's schema (segment.avsc, optimizer-version.avsc, evaluation.avsc,
 *             run.avsc)
 * </pre>
 *
 * {@link #peek} reads the envelope alone, for routing (e.g. to a dead-letter topic) without decoding the body.
 *
 * <h2>Evolution</h2>
 *
 * <ul>
 *   <li>A minor version may only <b>append</b> fields at the end of the top-level record, each with a default and
 *       the property {@code "sinceMinor": N}. Nothing is removed, renamed, reordered or retyped, and nested records
 *       never change.
 *   <li>A reader of an older minor decodes the fields it knows and ignores the trailing bytes of the newer fields.
 *   <li>A reader of a newer minor decodes an older record with the older field list and fills the appended fields
 *       with their defaults (Avro schema resolution).
 *   <li>Anything else is a new major version. A reader rejects any major other than its own: records of an
 *       unknown major go to the dead-letter topic until the consumer is upgraded.
 * </ul>
 *
 * Records of this build's own minor must not carry trailing bytes; only a newer minor may.
 *
 * <h2>Errors</h2>
 *
 * Every decode method throws {@link MalformedRecordException}, and nothing else, on any bad input: wrong magic or
 * kind, an unknown major version, truncated or garbage bytes, or content that breaks the record's invariants (e.g.
 * a θ that does not match its SHA-256). Lengths inside the body are checked against the bytes present before
 * anything is allocated, so garbage cannot exhaust memory. Encode methods throw {@link IllegalArgumentException}
 * for a record that could not be decoded again (e.g. per-step arrays of different lengths).
 *
 * <p>Float arrays (losses, gradient norms, raw gradients, θ, meta-optimizer moments) are Avro {@code bytes} of
 * little-endian float32, the same bytes θ's SHA-256 is taken of. See {@code docs/wire-format.md}.
 */
public final class WireFormat {
  /** First magic byte, 'M'. */
  public static final byte MAGIC_0 = 0x4D;
  /** Second magic byte, 'O'. */
  public static final byte MAGIC_1 = 0x4F;
  /** Bytes before the Avro body. */
  public static final int HEADER_BYTES = 5;

  /** Segment schema version written by this build: major (must match to decode) and minor. */
  public static final int SEGMENT_MAJOR = 1;
  public static final int SEGMENT_MINOR = 3;
  /** Optimizer version schema version written by this build. */
  public static final int VERSION_MAJOR = 1;
  public static final int VERSION_MINOR = 0;
  /** Evaluation schema version written by this build. */
  public static final int EVALUATION_MAJOR = 1;
  public static final int EVALUATION_MINOR = 2;
  /** Recorded-run schema version written by this build. */
  public static final int RUN_MAJOR = 1;
  public static final int RUN_MINOR = 0;

  private WireFormat() {}

  /**
   * The envelope of a wire record.
   *
   * @param kind what the body holds
   * @param major its major schema version
   * @param minor its minor schema version
   */
  public record Header(RecordKind kind, int major, int minor) {
    /** True when this build can decode the body (same major; any minor). */
    public boolean readable() {
      return major == kind.major();
    }

    @Override
    public String toString() {
      return kind.label() + " " + major + "." + minor;
    }
  }

  /** Encodes a segment (envelope + Avro body). */
  public static byte[] encode(Segment segment) {
    Segment.RawGradients g = segment.rawGradients();
    int hint = 1024 + 16 * segment.steps() + 10 * segment.perturbationSeeds().length
        + (g == null ? 0 : 8 * g.pos().length);
    return encode(RecordKind.SEGMENT, SegmentCodec.toRecord(segment), hint);
  }

  /** Encodes an optimizer version (envelope + Avro body). */
  public static byte[] encode(OptimizerVersion version) {
    int floats = version.theta().length + (version.metaState() == null ? 0
        : version.metaState().m().length + version.metaState().v().length);
    return encode(RecordKind.VERSION, VersionCodec.toRecord(version), 1024 + 4 * floats);
  }

  /** Encodes an evaluation (envelope + Avro body). */
  public static byte[] encode(EvaluationRecord evaluation) {
    return encode(RecordKind.EVALUATION, EvaluationCodec.toRecord(evaluation), 256 + 128 * evaluation.rows().size());
  }

  /** Encodes a chunk of a recorded run (envelope + Avro body). */
  public static byte[] encode(RunRecord run) {
    return encode(RecordKind.RUN, RunCodec.toRecord(run), 512 + 16 * run.steps());
  }

  /** Decodes a chunk of a recorded run; throws {@link MalformedRecordException} on any bad input. */
  public static RunRecord decodeRun(byte[] bytes) {
    return decode(bytes, RecordKind.RUN, RunCodec::fromRecord);
  }

  /**
   * True when {@code bytes} carry a well-formed envelope of a recorded run (any major): what consumers of the
   * trajectories topic that want only segments (the meta-learner, replay) skip. Never throws.
   */
  public static boolean isRecordedRun(byte[] bytes) {
    return bytes != null && bytes.length >= HEADER_BYTES && bytes[0] == MAGIC_0 && bytes[1] == MAGIC_1
        && (bytes[2] & 0xff) == RecordKind.RUN.code();
  }

  /**
   * A record of the trajectories topic as the meta-learner and replay read it: the segment, or null for a recorded
   * run (a {@code MetaoptListener} chunk shares the topic; no estimate uses it). A recorded run is decoded in full
   * too, so a malformed one goes where a malformed segment goes. Throws {@link MalformedRecordException}.
   */
  public static Segment segmentOrNullForRun(byte[] bytes) {
    if (isRecordedRun(bytes)) {
      decodeRun(bytes);
      return null;
    }
    return decodeSegment(bytes);
  }

  /** Decodes a segment; throws {@link MalformedRecordException} on any bad input. */
  public static Segment decodeSegment(byte[] bytes) {
    return decode(bytes, RecordKind.SEGMENT, SegmentCodec::fromRecord);
  }

  /** Decodes an optimizer version, checking θ against its SHA-256; throws {@link MalformedRecordException}. */
  public static OptimizerVersion decodeVersion(byte[] bytes) {
    return decode(bytes, RecordKind.VERSION, VersionCodec::fromRecord);
  }

  /** Decodes an evaluation; throws {@link MalformedRecordException} on any bad input. */
  public static EvaluationRecord decodeEvaluation(byte[] bytes) {
    return decode(bytes, RecordKind.EVALUATION, EvaluationCodec::fromRecord);
  }

  /**
   * Reads the envelope without decoding the body. The major version is not checked here (see
   * {@link Header#readable()}).
   *
   * @throws MalformedRecordException for null, fewer than {@link #HEADER_BYTES} bytes, wrong magic or unknown kind
   */
  public static Header peek(byte[] bytes) {
    if (bytes == null) {
      throw new MalformedRecordException("no record value (null)");
    }
    if (bytes.length < HEADER_BYTES) {
      throw new MalformedRecordException("truncated record: " + bytes.length + " bytes, shorter than the "
          + HEADER_BYTES + "-byte header");
    }
    if (bytes[0] != MAGIC_0 || bytes[1] != MAGIC_1) {
      throw new MalformedRecordException(String.format("not a metaopt record: magic 0x%02X%02X, expected 0x4D4F ('MO')",
          bytes[0] & 0xff, bytes[1] & 0xff));
    }
    RecordKind kind = RecordKind.ofCode(bytes[2] & 0xff);
    if (kind == null) {
      throw new MalformedRecordException("unknown record kind " + (bytes[2] & 0xff)
          + " (this build knows 1 segment, 2 optimizer version, 3 evaluation, 4 recorded run)");
    }
    return new Header(kind, bytes[3] & 0xff, bytes[4] & 0xff);
  }

  /** The kind of a record, from its envelope; see {@link #peek}. */
  public static RecordKind kind(byte[] bytes) {
    return peek(bytes).kind();
  }

  private static byte[] encode(RecordKind kind, GenericRecord body, int sizeHint) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(sizeHint);
    out.write(MAGIC_0);
    out.write(MAGIC_1);
    out.write(kind.code());
    out.write(kind.major());
    out.write(kind.minor());
    try {
      BinaryEncoder enc = EncoderFactory.get().directBinaryEncoder(out, null);
      new GenericDatumWriter<GenericRecord>(body.getSchema()).write(body, enc);
      enc.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("cannot encode " + kind.label() + ": " + e, e);
    }
    return out.toByteArray();
  }

  private static <T> T decode(byte[] bytes, RecordKind expected, Function<GenericRecord, T> convert) {
    Header h = peek(bytes);
    String what = expected.label() + " " + h.major() + "." + h.minor();
    if (h.kind() != expected) {
      throw new MalformedRecordException("expected " + withArticle(expected) + " record, got "
          + withArticle(h.kind()) + " record");
    }
    if (!h.readable()) {
      throw new MalformedRecordException("unknown major schema version " + h.major() + " of " + expected.label()
          + " (this build reads " + expected.major() + ")");
    }
    GenericRecord body;
    try {
      BoundedDecoder in = new BoundedDecoder(bytes, HEADER_BYTES);
      Schema reader = Schemas.current(expected);
      Schema writer = Schemas.forMinor(expected, h.minor());
      body = new GenericDatumReader<GenericRecord>(writer, reader).read(null, in);
      if (h.minor() <= expected.minor() && in.remainingBytes() > 0) {
        throw new MalformedRecordException("garbage in " + what + " record: " + in.remainingBytes()
            + " bytes after the last field");
      }
    } catch (MalformedRecordException e) {
      throw e;
    } catch (EOFException e) {
      throw new MalformedRecordException("truncated " + what + " record: " + e.getMessage(), e);
    } catch (IOException | RuntimeException e) {
      throw new MalformedRecordException("garbage in " + what + " record: " + oneLine(e), e);
    }
    try {
      return convert.apply(body);
    } catch (RuntimeException e) {
      throw new MalformedRecordException("invalid " + what + " record: " + oneLine(e), e);
    }
  }

  private static String withArticle(RecordKind k) {
    return ("aeiou".indexOf(k.label().charAt(0)) >= 0 ? "an " : "a ") + k.label();
  }

  private static String oneLine(Throwable e) {
    String m = e.getMessage();
    String text = m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    int nl = text.indexOf('\n');
    return nl < 0 ? text : text.substring(0, nl);
  }
}
