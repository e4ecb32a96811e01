package org.metaopt.stream.kafka;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/** Offsets of partition 0 of the pipeline's topics: the end, and the learner group's committed position. */
public final class Offsets {
  private Offsets() {}

  /** The end offset (last stable offset for read_committed) of partition 0 of {@code topic}. */
  public static long end(KafkaSettings k, String topic) {
    TopicPartition tp = new TopicPartition(topic, 0);
    try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(k.consumer("metaopt-offsets", null))) {
      return c.endOffsets(List.of(tp), Duration.ofSeconds(30)).get(tp);
    }
  }

  /** The learner group's committed offset on the trajectories topic (0 when none). */
  public static long learnerCommitted(KafkaSettings k) {
    String group = k.topics().prefix() + ".learner";
    try (Admin a = Admin.create(k.admin())) {
      Map<TopicPartition, OffsetAndMetadata> m = a.listConsumerGroupOffsets(Map.of(group,
          new ListConsumerGroupOffsetsSpec())).partitionsToOffsetAndMetadata(group).get(30, TimeUnit.SECONDS);
      OffsetAndMetadata o = m.get(new TopicPartition(k.topics().trajectories(), 0));
      return o == null ? 0 : o.offset();
    } catch (Exception e) {
      throw new IllegalStateException("cannot read the committed offsets of " + group + ": " + e.getMessage(), e);
    }
  }
}
