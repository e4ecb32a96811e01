package org.metaopt.ops.pipeline;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.metaopt.core.UserError;
import org.metaopt.stream.kafka.KafkaSettings;
import org.metaopt.stream.wire.RecordFile;
import org.metaopt.stream.wire.StoredRecord;
import org.metaopt.metalearner.Replay;

/**
 * {@code export} / {@code import}: a range of trajectory records, plus the whole versions and evaluations topics
 * (the recorded windows and start versions replay needs), to and from a {@link RecordFile}. Imported records go to
 * the same topics under the target's prefix and carry their original offset in {@link Replay#ORIGIN_OFFSET}, so
 * the recorded versions' offset ranges stay meaningful.
 */
public final class RecordTransfer {
  private RecordTransfer() {}

  /**
   * An offset ({@code 1234}) or an ISO-8601 time ({@code 2026-11-21T20:00:00Z}) on the trajectories topic, as an
   * offset; {@code null} gives {@code dflt}.
   */
  /**
   * Checks the syntax of a {@code --from}/{@code --to} value (an offset or an ISO-8601 UTC time) without reaching
   * Kafka, so a typo fails at once; null (the default) is fine.
   */
  public static void checkPosition(String position, String option) {
    if (position == null || position.matches("\\d{1,18}")) {
      return;
    }
    try {
      Instant.parse(position);
    } catch (DateTimeParseException e) {
      throw new UserError(option + " " + position + ": give an offset (e.g. 1500) or an ISO-8601 UTC time (e.g. "
          + "2026-11-21T20:00:00Z)");
    }
  }

  public static long resolvePosition(KafkaSettings kafka, String position, long dflt, String option) {
    if (position == null) {
      return dflt;
    }
    checkPosition(position, option);
    if (position.matches("\\d+")) {
      return Long.parseLong(position);
    }
    Instant t = Instant.parse(position);
    TopicPartition tp = new TopicPartition(kafka.topics().trajectories(), 0);
    try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(kafka.consumer("metaopt-position", null))) {
      Map<TopicPartition, OffsetAndTimestamp> m = c.offsetsForTimes(Map.of(tp, t.toEpochMilli()),
          Duration.ofSeconds(30));
      OffsetAndTimestamp o = m.get(tp);
      return o != null ? o.offset() : c.endOffsets(List.of(tp), Duration.ofSeconds(30)).get(tp);
    }
  }

  /** Writes trajectories {@code [from, to)} and every version and evaluation to {@code file}; returns counts. */
  public static long[] export(KafkaSettings kafka, long from, long to, Path file) {
    long[] counts = new long[3];
    RecordFile.Writer w = RecordFile.Writer.open(file);
    try {
      counts[0] = copy(kafka, kafka.topics().trajectories(), from, to, w);
      counts[1] = copy(kafka, kafka.topics().versions(), 0, Long.MAX_VALUE, w);
      counts[2] = copy(kafka, kafka.topics().evaluations(), 0, Long.MAX_VALUE, w);
    } catch (RuntimeException e) {
      w.abort();
      throw e;
    }
    w.close();
    return counts;
  }

  private static long copy(KafkaSettings kafka, String topic, long from, long to, RecordFile.Writer w) {
    TopicPartition tp = new TopicPartition(topic, 0);
    long n = 0;
    try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(kafka.consumer("metaopt-export", null))) {
      c.assign(List.of(tp));
      long end = Math.min(to, c.endOffsets(List.of(tp), Duration.ofSeconds(30)).get(tp));
      long begin = Math.max(from, c.beginningOffsets(List.of(tp), Duration.ofSeconds(30)).get(tp));
      if (begin >= end) {
        return 0;
      }
      c.seek(tp, begin);
      while (c.position(tp) < end) {
        for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(500))) {
          if (r.offset() < end) {
            w.write(new StoredRecord(suffix(kafka, topic), r.partition(), r.offset(), r.timestamp(), r.key(),
                r.value()));
            n++;
          }
        }
      }
    }
    return n;
  }

  /** Writes every record of {@code file} to the target cluster's topics; returns the number written. */
  public static long importFile(KafkaSettings kafka, Path file) {
    long n = 0;
    try (RecordFile.Reader r = RecordFile.Reader.open(file);
        KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(kafka.producer("metaopt-import"))) {
      for (StoredRecord s : r) {
        String topic = kafka.topics().prefix() + s.topic();
        RecordHeaders h = new RecordHeaders();
        h.add(Replay.ORIGIN_OFFSET, ByteBuffer.allocate(8).putLong(s.offset()).array());
        p.send(new ProducerRecord<>(topic, 0, s.timestamp(), s.key(), s.value(), h));
        n++;
      }
      p.flush();
    }
    return n;
  }

  /** {@code metaopt.trajectories.v1} -> {@code .trajectories.v1}: stored without the prefix. */
  private static String suffix(KafkaSettings kafka, String topic) {
    return topic.substring(kafka.topics().prefix().length());
  }
}
