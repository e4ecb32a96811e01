package org.metaopt.metalearner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.metaopt.core.meta.EstimatorKind;
import org.metaopt.core.meta.MetaTrainConfigs;
import org.metaopt.core.meta.ObjectiveTerms;
import org.metaopt.core.meta.Segment;
import org.metaopt.core.version.OptimizerVersion;
import org.metaopt.stream.kafka.EmbeddedBroker;
import org.metaopt.stream.kafka.KafkaSettings;
import org.metaopt.stream.kafka.Offsets;
import org.metaopt.stream.kafka.ReactiveReceiver;
import org.metaopt.stream.wire.WireFormat;

/**
 * The learner's counters move when the transaction that commits a window's offsets commits: a window whose
 * transaction aborts is read again and counted once (segments, stale drops, skipped windows, staleness samples).
 */
@Timeout(180)
class CountersAfterCommitTest {
  @TempDir Path tmp;

  /** Fails its first {@code failures} commits after sending everything, as a rebalance under a transaction does. */
  private static final class AbortingTransactions extends LearnerTransactions {
    private final AtomicInteger failures;

    AbortingTransactions(KafkaSettings k, int failures) {
      super(k, k.topics().prefix() + ".learner-tx", k.topics().prefix() + ".learner");
      this.failures = new AtomicInteger(failures);
    }

    @Override
    void commit(List<ProducerRecord<byte[], byte[]>> deadLetters, OptimizerVersion v,
        Map<TopicPartition, OffsetAndMetadata> offsets, ReactiveReceiver rx) {
      if (failures.getAndDecrement() > 0) {
        send(deadLetters, v, offsets, rx);
        throw new KafkaException("injected: the group's generation changed under the transaction");
      }
      super.commit(deadLetters, v, offsets, rx);
    }
  }

  private static Segment segment(long particle, long baseVersion) {
    ObjectiveTerms p = new ObjectiveTerms(1.0, 1.0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
    ObjectiveTerms n = new ObjectiveTerms(2.0, 2.0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
    return new Segment(particle, particle, 0, true, baseVersion, EstimatorKind.FULL_ES, 0.01,
        new long[] {particle + 11}, null, 0, 1, new float[] {1}, new float[] {1}, new float[] {1}, new float[] {1}, p,
        n, false, false, null);
  }

  private static void send(KafkaSettings k, List<Segment> segments) {
    try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(k.producer("test-segments"))) {
      for (Segment s : segments) {
        p.send(new ProducerRecord<>(k.topics().trajectories(), ByteBuffer.allocate(8).putLong(s.particleId()).array(),
            WireFormat.encode(s)));
      }
      p.flush();
    }
  }

  private static void await(String what, BooleanSupplier condition, KafkaLearner l) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what + ": " + l.versionsPublished() + " versions, "
            + l.segmentsConsumed() + " segments consumed, " + l.segmentsUncommitted() + " uncommitted, "
            + l.deadLetters() + " dead letters");
      }
      Thread.sleep(50);
    }
  }

  private MetaTrainConfigs.Loaded config() throws Exception {
    Path examples = Path.of("..", "docs", "examples").toAbsolutePath().normalize();
    String yaml = Files.readString(examples.resolve("meta-mlp-lopt.yaml"))
        .replace("tasks: meta-train-suite.yaml", "tasks: " + examples.resolve("meta-train-suite.yaml"))
        .replace("objective: {finalLogLossRatio: 1}", "objective: {meanLogLossRatio: 1}")
        .replace("window: {segments: 8, maxWaitMillis: 5000, maxStaleness: 2}",
            "window: {segments: 4, maxWaitMillis: 300, maxStaleness: 5}");
    Path file = tmp.resolve("meta.yaml");
    Files.writeString(file, yaml);
    return MetaTrainConfigs.load(file);
  }

  @Test
  void anAbortedAndRereadWindowIsCountedOnce() throws Exception {
    try (EmbeddedBroker broker = EmbeddedBroker.start(Path.of("target", "kafka-counters-"
        + ProcessHandle.current().pid()), 0)) {
      KafkaSettings k = KafkaSettings.of(broker.bootstrapServers());
      k.topics().ensure(k, Duration.ofSeconds(60));
      SimpleMeterRegistry registry = new SimpleMeterRegistry();
      KafkaLearner learner = new KafkaLearner(k, config(), new KafkaLearner.Listener() { },
          new AbortingTransactions(k, 1)).metrics(registry);
      Thread t = new Thread(learner::run, "test-learner-counters");
      t.start();
      try {
        await("version 0", () -> learner.versionsPublished() >= 1, learner);
        // 2 stale segments (100 versions behind) and 2 fresh ones: the first version's transaction is aborted, so
        // all four are read twice and must be counted once
        send(k, List.of(segment(1, -100), segment(2, -100), segment(3, 0), segment(4, 0)));
        await("the first window committed", () -> Offsets.learnerCommitted(k) == 4, learner);
        long current = learner.current().version();
        send(k, List.of(segment(5, current), segment(6, current), segment(7, current), segment(8, current)));
        await("every segment committed", () -> Offsets.learnerCommitted(k) == 8 && learner.segmentsConsumed() == 8,
            learner);
      } finally {
        learner.close();
        t.join(30_000);
      }
      assertEquals(1.0, registry.get("metaopt.learner.windows").tag("outcome", "aborted").counter().count(),
          "the injected abort happened");
      assertEquals(8, learner.segmentsConsumed(), "segments counted once");
      assertEquals(0, learner.segmentsUncommitted());
      assertEquals(2, learner.droppedStale(), "stale drops counted once");
      assertEquals(8, registry.get("metaopt.learner.segments.consumed").functionCounter().count());
      assertEquals(2, registry.get("metaopt.learner.segments.dropped.stale").functionCounter().count());
      assertEquals(8, registry.get("metaopt.learner.staleness").summary().count(), "one lag sample per segment");
      double published = registry.get("metaopt.learner.windows").tag("outcome", "published").counter().count();
      assertEquals(learner.versionsPublished() - 1, (long) published, "version 0 is not a window");
      assertTrue(learner.versionsPublished() >= 3, learner.versionsPublished() + " versions");
      assertTrue(registry.get("metaopt.learner.windows").tag("outcome", "skipped").counter().count() <= 1,
          "a window of only stale segments is counted once at most");
    }
  }
}
