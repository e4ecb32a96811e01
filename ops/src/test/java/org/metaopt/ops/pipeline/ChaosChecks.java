package org.metaopt.ops.pipeline;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.metaopt.core.meta.Segment;
import org.metaopt.core.version.OptimizerVersion;
import org.metaopt.stream.kafka.KafkaSettings;
import org.metaopt.stream.kafka.Offsets;
import org.metaopt.stream.kafka.VersionLog;
import org.metaopt.stream.wire.WireFormat;

/**
 * What is left after the learner's last commit: once the producers stop, the learner commits until only segments
 * too stale for any further version remain (a window of those publishes nothing, so their offsets are never
 * committed). Checking that tail is what makes "every acknowledged segment is in exactly one version or the DLQ"
 * complete.
 */
final class ChaosChecks {
  private ChaosChecks() {}

  /** The segments in {@code [from, to)} of the trajectories topic. */
  static List<Segment> segments(KafkaSettings k, long from, long to) {
    TopicPartition tp = new TopicPartition(k.topics().trajectories(), 0);
    List<Segment> out = new ArrayList<>();
    if (from >= to) {
      return out;
    }
    try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(k.consumer("chaos-tail", null))) {
      c.assign(List.of(tp));
      c.seek(tp, from);
      while (c.position(tp) < to) {
        for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(500))) {
          if (r.offset() < to) {
            out.add(WireFormat.decodeSegment(r.value()));
          }
        }
      }
    }
    return out;
  }

  /** Whether the learner has committed everything a version can still use. */
  static boolean drained(KafkaSettings k, int maxStaleness) {
    try {
      long committed = Offsets.learnerCommitted(k);
      long end = Offsets.end(k, k.topics().trajectories());
      long latest = VersionLog.latest(k, Duration.ofSeconds(10)).map(OptimizerVersion::version).orElse(-1L);
      return segments(k, committed, end).stream().allMatch(s -> latest - s.baseVersion() > maxStaleness);
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** Asserts every segment after the committed offset is too stale for the last version; returns how many. */
  static long assertTailIsStale(KafkaSettings k, long committed, long end, long lastVersion, int maxStaleness) {
    List<Segment> tail = segments(k, committed, end);
    for (Segment s : tail) {
      if (lastVersion - s.baseVersion() <= maxStaleness) {
        throw new AssertionError("a segment of version " + s.baseVersion() + " after the committed offset "
            + committed + " is fresh for version " + lastVersion + ": produced, acknowledged, and never used");
      }
    }
    return tail.size();
  }
}
