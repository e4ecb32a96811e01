package org.metaopt.ops.pipeline;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.metaopt.stream.wire.MalformedRecordException;
import org.metaopt.stream.wire.WireFormat;

/**
 * Fuzzed trajectory records for the learner: mutations of real segment records, each checked to be one the learner
 * must reject — not a segment the decoder accepts (a bit flip inside a float is a different valid segment, not a
 * malformed one) and not a well-formed recorded run (kind 4, which shares the topic and the learner skips by design);
 * such draws are replaced, and counted. Deterministic for a seed.
 */
final class MalformedRecords {
  /** How a record was broken. */
  enum Kind {
    /** 1 to 8 random bits flipped anywhere, envelope included. */
    BIT_FLIPS,
    /** A proper prefix of the record. */
    TRUNCATION,
    /** The envelope's kind byte set to a version, an evaluation, a recorded run (body a segment's) or unknown. */
    WRONG_KIND,
    /** The envelope's major schema version set to one this build does not know. */
    UNKNOWN_MAJOR,
    /** The estimator string's length or the perturbation seeds' count declared as 2^30 .. 2^62. */
    HUGE_LENGTH,
    /** Random bytes, half of them behind a valid envelope. */
    GARBAGE
  }

  /** The fuzzed records, how many of each kind, and how many draws of each kind were accepted and replaced. */
  record Batch(List<byte[]> values, Map<Kind, Integer> made, Map<Kind, Integer> redrawn) {}

  private MalformedRecords() {}

  static Batch generate(List<byte[]> valid, int n, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    List<byte[]> out = new ArrayList<>(n);
    Map<Kind, Integer> made = new EnumMap<>(Kind.class);
    Map<Kind, Integer> redrawn = new EnumMap<>(Kind.class);
    Kind[] kinds = Kind.values();
    while (out.size() < n) {
      Kind kind = kinds[out.size() % kinds.length];
      byte[] base = valid.get(rng.nextInt(valid.size()));
      byte[] mutant = mutate(kind, base, rng);
      if (accepted(mutant)) {
        redrawn.merge(kind, 1, Integer::sum);
        continue;
      }
      made.merge(kind, 1, Integer::sum);
      out.add(mutant);
    }
    return new Batch(out, made, redrawn);
  }

  /** Whether the learner takes {@code b} as a segment or skips it as a well-formed recorded run. */
  private static boolean accepted(byte[] b) {
    try {
      WireFormat.segmentOrNullForRun(b);
      return true;
    } catch (MalformedRecordException e) {
      return false;
    }
  }

  private static byte[] mutate(Kind kind, byte[] base, SplittableRandom rng) {
    byte[] b = base.clone();
    switch (kind) {
      case BIT_FLIPS -> {
        int flips = 1 + rng.nextInt(8);
        for (int i = 0; i < flips; i++) {
          int bit = rng.nextInt(b.length * 8);
          b[bit / 8] ^= (byte) (1 << (bit % 8));
        }
        return b;
      }
      case TRUNCATION -> {
        return Arrays.copyOf(b, rng.nextInt(b.length));
      }
      case WRONG_KIND -> {
        int[] kinds = {0, 2, 3, 4, 5, 9, 255}; // 4: a segment's body under a recorded run's kind
        b[2] = (byte) kinds[rng.nextInt(kinds.length)];
        return b;
      }
      case UNKNOWN_MAJOR -> {
        b[3] = (byte) (2 + rng.nextInt(254));
        return b;
      }
      case HUGE_LENGTH -> {
        return hugeLength(b, rng);
      }
      default -> {
        byte[] g = new byte[rng.nextInt(300)];
        rng.nextBytes(g);
        if (g.length >= 5 && rng.nextBoolean()) {
          System.arraycopy(base, 0, g, 0, 5);
        }
        return g;
      }
    }
  }

  /**
   * Replaces the estimator string's length or the seeds array's count by a huge varint. The segment body starts
   * (segment.avsc) with particleId, trajectoryId (longs), segmentIndex (int), endsTrajectory (1 byte), baseVersion
   * (long), estimator (string), sigma (8 bytes), perturbationSeeds (array).
   */
  private static byte[] hugeLength(byte[] b, SplittableRandom rng) {
    int at = 5;
    at = skipVarint(b, skipVarint(b, skipVarint(b, at)));
    at = skipVarint(b, at + 1);
    int estimatorLength = at;
    int afterLength = skipVarint(b, at);
    long length = zigzagDecode(b, at);
    int seedsCount = afterLength + (int) length + 8;
    int target = rng.nextBoolean() ? estimatorLength : seedsCount;
    long huge = 1L << (30 + rng.nextInt(33));
    ByteArrayOutputStream o = new ByteArrayOutputStream(b.length + 10);
    o.write(b, 0, target);
    long z = huge << 1; // zigzag of a positive value
    while ((z & ~0x7FL) != 0) {
      o.write((int) ((z & 0x7F) | 0x80));
      z >>>= 7;
    }
    o.write((int) z);
    int rest = skipVarint(b, target);
    o.write(b, rest, b.length - rest);
    return o.toByteArray();
  }

  private static int skipVarint(byte[] b, int at) {
    while ((b[at] & 0x80) != 0) {
      at++;
    }
    return at + 1;
  }

  private static long zigzagDecode(byte[] b, int at) {
    long v = 0;
    int shift = 0;
    while (true) {
      long x = b[at++] & 0xFF;
      v |= (x & 0x7F) << shift;
      if ((x & 0x80) == 0) {
        break;
      }
      shift += 7;
    }
    return (v >>> 1) ^ -(v & 1);
  }
}
