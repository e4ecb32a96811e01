package org.metaopt.producer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.metaopt.core.UserError;
import org.metaopt.core.meta.MetaTrainConfigs;
import org.metaopt.core.spec.TaskFactory;
import org.metaopt.core.version.OptimizerVersion;
import org.metaopt.stream.kafka.KafkaSettings;
import org.metaopt.stream.kafka.VersionFollower;
import org.metaopt.stream.kafka.VersionLog;
import org.metaopt.stream.wire.WireFormat;

/**
 * A version follower retries a failure with backoff and counts it; one that stays down past its limit stops its
 * service with a one-line message instead of leaving it to work with a frozen version. Failures are injected
 * through the follower's consumer factory; no broker is involved.
 */
@Timeout(60)
class FollowerFailureTest {
  private static final KafkaSettings NOWHERE = KafkaSettings.of("127.0.0.1:1");
  private static final TopicPartition VERSIONS = new TopicPartition(NOWHERE.topics().versions(), 0);

  private static VersionFollower.Options fast(Duration maxDowntime) {
    return VersionFollower.Options.defaults().withMaxDowntime(maxDowntime);
  }

  /** A consumer over the versions partition holding {@code versions}, or failing its first poll with {@code e}. */
  private static MockConsumer<byte[], byte[]> consumer(List<OptimizerVersion> versions, KafkaException e) {
    MockConsumer<byte[], byte[]> c = new MockConsumer<>("earliest");
    c.updateBeginningOffsets(Map.of(VERSIONS, 0L));
    c.updateEndOffsets(Map.of(VERSIONS, (long) versions.size()));
    if (e != null) {
      c.setPollException(e);
    }
    c.schedulePollTask(() -> {
      for (int i = 0; i < versions.size(); i++) {
        c.addRecord(new ConsumerRecord<>(VERSIONS.topic(), 0, i, VersionLog.key(versions.get(i).version()),
            WireFormat.encode(versions.get(i))));
      }
    });
    return c;
  }

  private static OptimizerVersion version(long n) {
    OptimizerVersion.Provenance p = new OptimizerVersion.Provenance("c", "PES", Map.of(), List.of(), 0, "dev", "t", 0,
        "");
    return OptimizerVersion.of(n, n - 1, "test", Map.of(), new float[] {1, 2, 3}, null, p);
  }

  private static void await(String what, java.util.function.BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(20);
    }
  }

  @Test
  void anInjectedFailureIsRetriedWithBackoffAndCounted() throws Exception {
    AtomicInteger made = new AtomicInteger();
    List<Long> seen = new CopyOnWriteArrayList<>();
    List<String> stopped = new CopyOnWriteArrayList<>();
    VersionFollower.Options o = fast(Duration.ofSeconds(30)).withConsumers(config -> made.getAndIncrement() == 0
        ? consumer(List.of(version(0)), new KafkaException("injected: the broker closed the connection"))
        : consumer(List.of(version(0), version(1), version(2)), null));
    try (VersionFollower f = new VersionFollower(NOWHERE, v -> seen.add(v.version()), o, stopped::add)) {
      await("versions after the retry", () -> seen.contains(2L));
      assertEquals(1, f.failures(), "one failure, counted");
      assertNull(f.stoppedWith());
    }
    assertEquals(2, made.get(), "a fresh consumer for the retry");
    assertEquals(List.of(0L, 1L, 2L), seen, "each version handed over once, in order");
    assertTrue(stopped.isEmpty(), "a retried failure does not stop the service: " + stopped);
  }

  @Test
  void aFollowerDownPastItsLimitStopsTheProducerWithAMessage() throws Exception {
    AtomicInteger made = new AtomicInteger();
    VersionFollower.Options o = fast(Duration.ofMillis(800)).withConsumers(config -> {
      made.incrementAndGet();
      Consumer<byte[], byte[]> c = consumer(List.of(), new KafkaException("injected: not authorized to read"));
      return c;
    });
    Path config = Path.of("..", "docs", "examples", "meta-mlp-lopt.yaml");
    ProducerService service = new ProducerService(NOWHERE, MetaTrainConfigs.load(config), new TaskFactory(null),
        ProducerService.Options.defaults(1).withFollower(o));
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    service.metrics(registry);
    List<String> said = new CopyOnWriteArrayList<>();
    try {
      long t0 = System.nanoTime();
      UserError e = assertThrows(UserError.class, () -> service.start(Duration.ofSeconds(30)),
          "the producer stops instead of waiting for a version forever");
      assertTrue(System.nanoTime() - t0 < Duration.ofSeconds(15).toNanos(), "stopped soon after the limit");
      String m = e.getMessage();
      assertTrue(m.startsWith("producer 0: the version follower could not read metaopt.versions.v1 at 127.0.0.1:1"),
          m);
      assertTrue(m.contains("injected: not authorized to read") && !m.contains("\n"), m);
      assertTrue(service.followerFailures() >= 2, "retried before giving up: " + service.followerFailures());
      assertEquals(service.followerFailures(), made.get(), "one consumer per attempt");
      assertEquals(service.followerFailures(),
          registry.get("metaopt.producer.follower.failures").functionCounter().count());
      assertEquals(m, service.failure().getMessage(), "the service keeps the reason");
    } finally {
      service.close(said::add);
    }
    assertTrue(said.isEmpty(), "nothing to wait for at close: " + said);
  }

  @Test
  void aBrokerThatStopsAnsweringAnIdleFollowerIsDetected() throws Exception {
    AtomicInteger made = new AtomicInteger();
    List<Long> seen = new CopyOnWriteArrayList<>();
    List<String> stopped = new CopyOnWriteArrayList<>();
    VersionFollower.Options o = fast(Duration.ofSeconds(1)).withConsumers(config -> {
      boolean first = made.getAndIncrement() == 0;
      AtomicInteger asked = new AtomicInteger();
      MockConsumer<byte[], byte[]> c = new MockConsumer<>("earliest") {
        @Override
        public synchronized Map<TopicPartition, Long> endOffsets(java.util.Collection<TopicPartition> partitions,
            Duration timeout) {
          if (!first || asked.getAndIncrement() > 0) { // polls keep returning nothing, as with a broker gone
            throw new org.apache.kafka.common.errors.TimeoutException("Failed to get offsets by times in "
                + timeout.toMillis() + "ms");
          }
          return super.endOffsets(partitions, timeout);
        }
      };
      c.updateBeginningOffsets(Map.of(VERSIONS, 0L));
      c.updateEndOffsets(Map.of(VERSIONS, 1L));
      c.schedulePollTask(() -> c.addRecord(new ConsumerRecord<>(VERSIONS.topic(), 0, 0, VersionLog.key(0),
          WireFormat.encode(version(0)))));
      return c;
    });
    try (VersionFollower f = new VersionFollower(NOWHERE, v -> seen.add(v.version()), o, stopped::add)) {
      await("the follower to give up", () -> !stopped.isEmpty());
      assertEquals(List.of(0L), seen);
      assertTrue(f.failures() >= 2, f.failures() + " failures");
      assertTrue(stopped.get(0).contains("TimeoutException: Failed to get offsets"), stopped.get(0));
    }
  }
}
