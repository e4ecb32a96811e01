package org.metaopt.stream.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;

class WireFormatRobustnessTest {
  private static final List<Function<byte[], Object>> DECODERS =
      List.of(WireFormat::decodeSegment, WireFormat::decodeVersion, WireFormat::decodeEvaluation);

  /** Decodes with every decoder: each either succeeds or throws MalformedRecordException, nothing else. */
  private static void decodeOrMalformed(byte[] bytes) {
    for (Function<byte[], Object> d : DECODERS) {
      try {
        d.apply(bytes);
      } catch (MalformedRecordException e) {
        assertTrue(e.reason() != null && !e.reason().isBlank() && !e.reason().contains("\n"), e.reason());
      } catch (Throwable t) {
        fail("decoding " + bytes.length + " bytes threw " + t + " instead of MalformedRecordException", t);
      }
    }
  }

  private static List<byte[]> samples() {
    return List.of(WireFormat.encode(WireSamples.segment(20, 7, 3)),
        WireFormat.encode(WireSamples.version(50, true)), WireFormat.encode(WireSamples.evaluation()));
  }

  @Test
  void everyTruncationOfAValidRecordIsMalformed() {
    for (byte[] full : samples()) {
      RecordKind kind = WireFormat.kind(full);
      for (int n = 0; n < full.length; n++) {
        byte[] cut = Arrays.copyOf(full, n);
        Function<byte[], Object> decoder = DECODERS.get(kind.code() - 1);
        MalformedRecordException e = assertThrows(MalformedRecordException.class, () -> decoder.apply(cut),
            "prefix of " + n + " of " + full.length + " bytes");
        assertTrue(e.reason().startsWith("truncated") || e.reason().startsWith("garbage")
            || e.reason().startsWith("invalid"), e.reason());
      }
    }
  }

  @Test
  void randomGarbageBehindAValidHeaderNeverThrowsAnythingElseNorExhaustsMemory() {
    Random rng = new Random(11);
    for (int i = 0; i < 20_000; i++) {
      byte[] b = new byte[5 + rng.nextInt(200)];
      rng.nextBytes(b);
      b[0] = 0x4D;
      b[1] = 0x4F;
      b[2] = (byte) (1 + rng.nextInt(3));
      b[3] = 1;
      b[4] = (byte) rng.nextInt(3);
      decodeOrMalformed(b);
    }
    for (int i = 0; i < 2_000; i++) {
      byte[] b = new byte[rng.nextInt(64)];
      rng.nextBytes(b);
      decodeOrMalformed(b);
    }
  }

  @Test
  void singleByteMutationsOfValidRecordsDecodeOrAreMalformed() {
    Random rng = new Random(5);
    for (byte[] full : samples()) {
      for (int i = 0; i < 3_000; i++) {
        byte[] b = full.clone();
        int at = 5 + rng.nextInt(b.length - 5);
        b[at] = (byte) rng.nextInt(256);
        decodeOrMalformed(b);
      }
    }
  }

  @Test
  void hugeLengthPrefixesFailFastWithoutAllocating() {
    // A segment body starting with valid longs and a boolean, then an array count and a string length of ~2^62.
    byte[] hugeArray = {0x4D, 0x4F, 1, 1, 0, 2, 2, 2, 0, 2, 6, 'P', 'E', 'S', 0, 0, 0, 0, 0, 0, 0, 0,
        (byte) 0xfe, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x7f};
    String r = reason(() -> WireFormat.decodeSegment(hugeArray));
    assertTrue(r.startsWith("truncated segment 1.0 record: an array of "), r);
    byte[] hugeString = {0x4D, 0x4F, 3, 1, 0, 2, (byte) 0xfe, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x0f};
    assertTrue(reason(() -> WireFormat.decodeEvaluation(hugeString)).startsWith("truncated evaluation 1.0 record"));
    byte[] negative = {0x4D, 0x4F, 3, 1, 0, 2, 0x03, 'a', 'b'};
    assertTrue(reason(() -> WireFormat.decodeEvaluation(negative)).contains("negative length"));
  }

  @Test
  void trailingBytesAtThisBuildsMinorAreMalformed() {
    byte[] full = WireFormat.encode(WireSamples.evaluation());
    byte[] longer = Arrays.copyOf(full, full.length + 3);
    assertEquals("garbage in evaluation 1." + WireFormat.EVALUATION_MINOR + " record: 3 bytes after the last field",
        reason(() -> WireFormat.decodeEvaluation(longer)));
  }

  @Test
  void perStepArraysOfMismatchedLengthsAreInvalid() {
    GenericRecord r = SegmentCodec.toRecord(WireSamples.segment(20, 0, 1));
    r.put("gradNormNeg", ByteBuffer.allocate(19 * 4));
    assertTrue(reason(() -> WireFormat.decodeSegment(WireBytes.of(RecordKind.SEGMENT, 1, WireFormat.SEGMENT_MINOR, r)))
        .startsWith("invalid segment 1." + WireFormat.SEGMENT_MINOR + " record: gradient norms hold 20/19 steps"));
    r.put("gradNormNeg", ByteBuffer.allocate(20 * 4));
    r.put("lossesNeg", ByteBuffer.allocate(20 * 4 + 2));
    assertTrue(reason(() -> WireFormat.decodeSegment(WireBytes.of(RecordKind.SEGMENT, 1, WireFormat.SEGMENT_MINOR, r)))
        .contains("lossesNeg has 82 bytes, not a whole number of float32"));
  }

  @Test
  void rawGradientsNotHoldingTheSegmentsStepsAreInvalid() {
    GenericRecord r = SegmentCodec.toRecord(WireSamples.segment(20, 10, 1));
    GenericData.Record raw = (GenericData.Record) r.get("rawGradients");
    raw.put("pos", ByteBuffer.allocate(19 * 10 * 4));
    raw.put("neg", ByteBuffer.allocate(19 * 10 * 4));
    assertTrue(reason(() -> WireFormat.decodeSegment(WireBytes.of(RecordKind.SEGMENT, 1, WireFormat.SEGMENT_MINOR, r)))
        .contains("raw gradients hold 19 steps; the segment has 20"));
  }

  @Test
  void unknownEstimatorAndBadTaskJsonAreInvalid() {
    GenericRecord r = SegmentCodec.toRecord(WireSamples.segment(2, 0, 1));
    r.put("estimator", "SPSA");
    assertTrue(reason(() -> WireFormat.decodeSegment(WireBytes.of(RecordKind.SEGMENT, 1, WireFormat.SEGMENT_MINOR, r)))
        .contains("unknown estimator 'SPSA'"));
    r.put("estimator", "PES");
    r.put("task", "{\"family\": \"mlp\", \"colour\": 3}");
    assertTrue(reason(() -> WireFormat.decodeSegment(WireBytes.of(RecordKind.SEGMENT, 1, WireFormat.SEGMENT_MINOR, r)))
        .contains("task is not a task spec's JSON"));
  }

  @Test
  void alteredThetaHashAndBadHyperparametersAreInvalid() {
    GenericRecord r = VersionCodec.toRecord(WireSamples.version(8, true));
    r.put("thetaSha256", "0".repeat(64));
    assertTrue(reason(() -> WireFormat.decodeVersion(WireBytes.of(RecordKind.VERSION, 1, 0, r)))
        .contains("does not match θ"));
    GenericRecord h = VersionCodec.toRecord(WireSamples.version(8, true));
    h.put("hyperparameters", "[1, 2]");
    assertTrue(reason(() -> WireFormat.decodeVersion(WireBytes.of(RecordKind.VERSION, 1, 0, h)))
        .contains("hyperparameters are not a JSON object"));
  }

  @Test
  void encodingARecordThatCouldNotBeDecodedFails() {
    var s = WireSamples.segment(3, 0, 1);
    var bad = new org.metaopt.core.meta.Segment(s.particleId(), s.trajectoryId(), s.segmentIndex(), false,
        s.baseVersion(), s.estimator(), s.sigma(), s.perturbationSeeds(), s.task(), 0, 1, s.lossesPos(), s.lossesNeg(),
        new float[0], new float[0], s.termsPos(), s.termsNeg(), false, false, null);
    assertThrows(IllegalArgumentException.class, () -> WireFormat.encode(bad));
  }

  static String reason(Runnable r) {
    return assertThrows(MalformedRecordException.class, r::run).reason();
  }
}
