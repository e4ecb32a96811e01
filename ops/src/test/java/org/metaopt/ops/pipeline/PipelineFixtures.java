package org.metaopt.ops.pipeline;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.metaopt.stream.kafka.KafkaSettings;
import org.metaopt.stream.kafka.OffsetRanges;
import org.metaopt.core.version.OptimizerVersion;

/** Shared pieces of the pipeline tests: the small synthetic demo config, offsets, and the chain checks. */
final class PipelineFixtures {
  private PipelineFixtures() {}

  /** Writes the demo's meta config with its synthetic tasks into {@code dir}; returns the meta.yaml path. */
  static Path syntheticConfig(Path dir) throws IOException {
    return DemoConfigs.write(dir, false).resolve("meta.yaml");
  }

  static long endOffset(KafkaSettings k, String topic) {
    TopicPartition tp = new TopicPartition(topic, 0);
    try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(k.consumer("test-end", null))) {
      return c.endOffsets(List.of(tp), Duration.ofSeconds(30)).get(tp);
    }
  }

  /** The learner group's committed offset on the trajectories topic (0 when none). */
  static long committed(KafkaSettings k) throws Exception {
    try (Admin a = Admin.create(k.admin())) {
      Map<TopicPartition, OffsetAndMetadata> m = a.listConsumerGroupOffsets(Map.of(k.topics().prefix() + ".learner",
          new ListConsumerGroupOffsetsSpec())).partitionsToOffsetAndMetadata(k.topics().prefix() + ".learner")
          .get();
      OffsetAndMetadata o = m.get(new TopicPartition(k.topics().trajectories(), 0));
      return o == null ? 0 : o.offset();
    }
  }

  /**
   * Asserts the chain has no gap (versions 0..N, each the parent of the next) and that the versions' offset ranges
   * tile {@code [0, committedEnd)} exactly: contiguous, no overlap, nothing consumed outside a version.
   *
   * @return the number of versions
   */
  static int assertChainAndRanges(List<OptimizerVersion> versions, long committedEnd) {
    List<OptimizerVersion> sorted = versions.stream()
        .sorted(java.util.Comparator.comparingLong(OptimizerVersion::version)).toList();
    for (int i = 0; i < sorted.size(); i++) {
      OptimizerVersion v = sorted.get(i);
      if (v.version() != i) {
        throw new AssertionError("version chain gap or duplicate at index " + i + ": version " + v.version());
      }
      if (v.parent() != i - 1) {
        throw new AssertionError("version " + i + " has parent " + v.parent());
      }
    }
    long next = 0;
    for (OptimizerVersion v : sorted.subList(1, sorted.size())) {
      List<OffsetRanges.Range> r = OffsetRanges.parse(v.provenance().window());
      if (r.size() != 1) {
        throw new AssertionError("version " + v.version() + " has window '" + v.provenance().window() + "'");
      }
      if (r.get(0).from() != next) {
        throw new AssertionError("version " + v.version() + " starts at offset " + r.get(0).from() + ", expected "
            + next + (r.get(0).from() < next ? " (overlap: a segment applied twice)" : " (gap: segments skipped)"));
      }
      next = r.get(0).to();
    }
    if (next != committedEnd) {
      throw new AssertionError("the ranges end at " + next + " but the learner committed " + committedEnd);
    }
    return sorted.size();
  }
}
