package org.metaopt.stream.kafka;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.metaopt.core.UserError;
import org.metaopt.core.version.OptimizerVersion;
import org.metaopt.stream.wire.MalformedRecordException;
import org.metaopt.stream.wire.WireFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the versions topic (one partition, committed records only): the latest version without scanning history
 * (seek a few offsets back from the end), the first one, one by number, or the whole chain (audit, replay, tests).
 * A live tail is a {@link VersionFollower}.
 */
public final class VersionLog {
  private static final Logger LOG = LoggerFactory.getLogger(VersionLog.class);

  private VersionLog() {}

  /** The key of a version record: its number, 8 bytes big-endian. */
  public static byte[] key(long version) {
    return ByteBuffer.allocate(8).putLong(version).array();
  }

  private static TopicPartition partition(KafkaSettings s) {
    return new TopicPartition(s.topics().versions(), 0);
  }

  /**
   * The latest committed version, found by reading back from the end of the topic: a window of 8 offsets first
   * (each version is one record and one transaction marker), doubled until a version turns up or the start is
   * reached. Empty when no version was ever published.
   */
  public static Optional<OptimizerVersion> latest(KafkaSettings s, Duration timeout) {
    TopicPartition tp = partition(s);
    try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(s.consumer("metaopt-version-reader", null))) {
      c.assign(List.of(tp));
      long end = c.endOffsets(List.of(tp), timeout).get(tp);
      long begin = c.beginningOffsets(List.of(tp), timeout).get(tp);
      long back = 8;
      while (true) {
        long from = Math.max(begin, end - back);
        OptimizerVersion best = null;
        for (OptimizerVersion v : read(c, tp, from, end, timeout)) {
          if (best == null || v.version() > best.version()) {
            best = v;
          }
        }
        if (best != null || from == begin) {
          return Optional.ofNullable(best);
        }
        back *= 2;
      }
    } catch (org.apache.kafka.common.errors.TimeoutException e) {
      throw new UserError("no Kafka broker answered at " + s.bootstrapServers() + " while reading "
          + s.topics().versions() + "; is the broker running?");
    }
  }

  /**
   * The first committed version on the topic (a run's version 0, the reference its evaluator compares with), read
   * from the topic's start a few offsets at a time. Empty when no version was ever published.
   */
  public static Optional<OptimizerVersion> first(KafkaSettings s, Duration timeout) {
    TopicPartition tp = partition(s);
    try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(s.consumer("metaopt-version-reader", null))) {
      c.assign(List.of(tp));
      long end = c.endOffsets(List.of(tp), timeout).get(tp);
      long begin = c.beginningOffsets(List.of(tp), timeout).get(tp);
      for (long from = begin; from < end; from += 8) {
        List<OptimizerVersion> vs = read(c, tp, from, Math.min(end, from + 8), timeout);
        if (!vs.isEmpty()) {
          return Optional.of(vs.get(0));
        }
      }
      return Optional.empty();
    } catch (org.apache.kafka.common.errors.TimeoutException e) {
      throw new UserError("no Kafka broker answered at " + s.bootstrapServers() + " while reading "
          + s.topics().versions() + "; is the broker running?");
    }
  }

  /**
   * The committed version numbered {@code number} (e.g. the best one an evaluator scored), found by bisecting the
   * topic's offsets, since versions are committed in number order: about log2(versions) short reads, not a scan.
   * Empty when no such version is on the topic.
   */
  public static Optional<OptimizerVersion> find(KafkaSettings s, long number, Duration timeout) {
    TopicPartition tp = partition(s);
    try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(s.consumer("metaopt-version-reader", null))) {
      c.assign(List.of(tp));
      long lo = c.beginningOffsets(List.of(tp), timeout).get(tp);
      long hi = c.endOffsets(List.of(tp), timeout).get(tp); // the version, if any, is at an offset in [lo, hi)
      while (hi - lo > 16) {
        long mid = lo + (hi - lo) / 2;
        At at = firstVersion(c, tp, mid, hi, timeout);
        if (at != null && at.version().version() == number) {
          return Optional.of(at.version());
        } else if (at != null && at.version().version() < number) {
          lo = at.offset() + 1;
        } else {
          hi = mid; // nothing readable in [mid, hi), or a later version first: it lies before mid
        }
      }
      return read(c, tp, lo, hi, timeout).stream().filter(v -> v.version() == number).findFirst();
    } catch (org.apache.kafka.common.errors.TimeoutException e) {
      throw new UserError("no Kafka broker answered at " + s.bootstrapServers() + " while reading "
          + s.topics().versions() + "; is the broker running?");
    }
  }

  private record At(long offset, OptimizerVersion version) {}

  /** The first readable committed version at an offset in [from, end), or null. */
  private static At firstVersion(KafkaConsumer<byte[], byte[]> c, TopicPartition tp, long from, long end,
      Duration timeout) {
    c.seek(tp, from);
    long deadline = System.nanoTime() + timeout.toNanos();
    while (c.position(tp) < end) {
      if (System.nanoTime() > deadline) {
        throw new org.apache.kafka.common.errors.TimeoutException("reading versions " + from + ".." + end);
      }
      for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
        if (r.offset() >= end) {
          return null;
        }
        try {
          return new At(r.offset(), WireFormat.decodeVersion(r.value()));
        } catch (MalformedRecordException e) {
          LOG.warn("metaopt: skipping unreadable record at {}@{}: {}", tp, r.offset(), e.reason());
        }
      }
    }
    return null;
  }

  /** Every committed version in topic order (from offset 0). */
  public static List<OptimizerVersion> readAll(KafkaSettings s, Duration timeout) {
    TopicPartition tp = partition(s);
    try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(s.consumer("metaopt-version-reader", null))) {
      c.assign(List.of(tp));
      long end = c.endOffsets(List.of(tp), timeout).get(tp);
      long begin = c.beginningOffsets(List.of(tp), timeout).get(tp);
      return read(c, tp, begin, end, timeout);
    }
  }

  private static List<OptimizerVersion> read(KafkaConsumer<byte[], byte[]> c, TopicPartition tp, long from, long end,
      Duration timeout) {
    List<OptimizerVersion> out = new ArrayList<>();
    if (from >= end) {
      return out;
    }
    c.seek(tp, from);
    long deadline = System.nanoTime() + timeout.toNanos();
    while (c.position(tp) < end) {
      if (System.nanoTime() > deadline) {
        throw new org.apache.kafka.common.errors.TimeoutException("reading versions " + from + ".." + end);
      }
      for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
        if (r.offset() >= end) {
          continue;
        }
        try {
          out.add(WireFormat.decodeVersion(r.value()));
        } catch (MalformedRecordException e) {
          LOG.warn("metaopt: skipping unreadable record at {}@{}: {}", tp, r.offset(), e.reason());
        }
      }
    }
    return out;
  }
}
