package org.metaopt.stream.kafka;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
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
 * (seek a few offsets back from the end), the whole chain (audit, replay, tests), or a live tail.
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

  /**
   * Tails the versions topic on a daemon thread from the latest version on, calling {@code onVersion} for each
   * newer version (on that thread). Close to stop.
   */
  public static final class Follower implements AutoCloseable {
    private final Thread thread;
    private volatile boolean running = true;
    private volatile KafkaConsumer<byte[], byte[]> consumer;

    public Follower(KafkaSettings s, Consumer<OptimizerVersion> onVersion) {
      TopicPartition tp = partition(s);
      thread = new Thread(() -> {
        long newest = -1;
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(s.consumer("metaopt-version-follower", null))) {
          consumer = c;
          c.assign(List.of(tp));
          Map<TopicPartition, Long> end = c.endOffsets(List.of(tp), Duration.ofSeconds(30));
          c.seek(tp, Math.max(0, end.get(tp) - 8));
          while (running) {
            for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(100))) {
              try {
                OptimizerVersion v = WireFormat.decodeVersion(r.value());
                if (v.version() > newest) {
                  newest = v.version();
                  onVersion.accept(v);
                }
              } catch (MalformedRecordException e) {
                LOG.warn("metaopt: skipping unreadable version record at offset {}: {}", r.offset(), e.reason());
              }
            }
          }
        } catch (org.apache.kafka.common.errors.WakeupException e) {
          // closing
        } catch (RuntimeException e) {
          if (running) {
            LOG.warn("metaopt: the version follower stopped: {}", e.toString()); // one line, no stack trace
          }
        }
      }, "metaopt-version-follower");
      thread.setDaemon(true);
      thread.start();
    }

    @Override
    public void close() {
      running = false;
      KafkaConsumer<byte[], byte[]> c = consumer;
      if (c != null) {
        c.wakeup();
      }
      try {
        thread.join(5000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
