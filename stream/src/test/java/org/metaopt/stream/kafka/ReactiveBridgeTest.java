package org.metaopt.stream.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

/** The Reactor bridge against a real in-process broker: bounded sends, demand-driven receive, commit after ack. */
@Timeout(120)
class ReactiveBridgeTest {
  private static EmbeddedBroker broker;
  private static KafkaSettings settings;

  @BeforeAll
  static void start() throws Exception {
    broker = EmbeddedBroker.start(Path.of("target", "kafka-bridge-test-" + ProcessHandle.current().pid()), 0);
    settings = KafkaSettings.of(broker.bootstrapServers());
    try (Admin admin = Admin.create(settings.admin())) {
      admin.createTopics(List.of(new NewTopic("bridge.a", 2, (short) 1), new NewTopic("bridge.b", 1, (short) 1),
          new NewTopic("bridge.c", 1, (short) 1), new NewTopic("bridge.d", 1, (short) 1))).all().get();
    }
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  private static Flux<ReactiveSender.Outbound<Integer>> records(String topic, int n) {
    return Flux.range(0, n).map(i -> new ReactiveSender.Outbound<>(
        new ProducerRecord<>(topic, ("k" + i).getBytes(StandardCharsets.UTF_8),
            ("v" + i).getBytes(StandardCharsets.UTF_8)), i));
  }

  private static int send(String topic, int n) {
    try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(settings.producer("test"))) {
      List<ReactiveSender.Result<Integer>> results = new ReactiveSender(p, 16).send(records(topic, n))
          .collectList().block(Duration.ofSeconds(60));
      return (int) results.stream().filter(ReactiveSender.Result::ok).count();
    }
  }

  @Test
  void sendsEveryRecordOnceWithBoundedInFlight() {
    try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(settings.producer("test"))) {
      int[] maxOutstanding = {0};
      int[] requested = {0};
      int[] acked = {0};
      Flux<ReactiveSender.Outbound<Integer>> upstream = records("bridge.a", 2000)
          .doOnRequest(n -> requested[0] += (int) Math.min(n, Integer.MAX_VALUE));
      StepVerifier.create(new ReactiveSender(p, 8).send(upstream)
              .doOnNext(r -> {
                acked[0]++;
                maxOutstanding[0] = Math.max(maxOutstanding[0], requested[0] - acked[0]);
              }))
          .thenConsumeWhile(ReactiveSender.Result::ok)
          .expectComplete()
          .verify(Duration.ofSeconds(60));
      assertEquals(2000, acked[0]);
      assertTrue(maxOutstanding[0] <= 8, "at most 8 requested but unacknowledged, saw " + maxOutstanding[0]);
    }
  }

  @Test
  void emitsOnlyAgainstDemandAndPausesWithout() {
    assertEquals(500, send("bridge.b", 500));
    ReactiveReceiver r = new ReactiveReceiver(() -> new KafkaConsumer<>(settings.consumer("t", "g-demand")),
        ReactiveReceiver.Options.subscribe(List.of("bridge.b"), ReactiveReceiver.CommitMode.AFTER_ACK));
    StepVerifier.create(r.receive().map(x -> new String(x.record().value(), StandardCharsets.UTF_8)), 0)
        .expectSubscription()
        .expectNoEvent(Duration.ofSeconds(2))
        .thenRequest(10)
        .expectNextSequence(List.of("v0", "v1", "v2", "v3", "v4", "v5", "v6", "v7", "v8", "v9"))
        .expectNoEvent(Duration.ofSeconds(1))
        .thenRequest(490)
        .expectNextCount(490)
        .thenCancel()
        .verify(Duration.ofSeconds(60));
  }

  @Test
  void commitsOnlyAcknowledgedOffsets() {
    assertEquals(100, send("bridge.c", 100));
    ReactiveReceiver first = new ReactiveReceiver(() -> new KafkaConsumer<>(settings.consumer("t", "g-ack")),
        ReactiveReceiver.Options.subscribe(List.of("bridge.c"), ReactiveReceiver.CommitMode.AFTER_ACK));
    // take 60 but acknowledge (apply the effect of) only the first 40
    List<ReactiveReceiver.Received> got = first.receive().take(60)
        .doOnNext(x -> {
          if (x.record().offset() < 40) {
            x.ack().run();
          }
        })
        .collectList().block(Duration.ofSeconds(60));
    assertEquals(60, got.size());
    ReactiveReceiver second = new ReactiveReceiver(() -> new KafkaConsumer<>(settings.consumer("t", "g-ack")),
        ReactiveReceiver.Options.subscribe(List.of("bridge.c"), ReactiveReceiver.CommitMode.AFTER_ACK));
    Set<Long> offsets = ConcurrentHashMap.newKeySet();
    StepVerifier.create(second.receive().map(x -> x.record().offset()))
        .recordWith(ArrayList::new)
        .expectNextCount(60)
        .consumeRecordedWith(offsets::addAll)
        .thenCancel()
        .verify(Duration.ofSeconds(60));
    assertEquals(40L, offsets.stream().mapToLong(Long::longValue).min().orElseThrow(),
        "the second consumer starts at the first unacknowledged offset");
    assertEquals(99L, offsets.stream().mapToLong(Long::longValue).max().orElseThrow());
  }

  @Test
  void manualAssignmentStartsAtTheGivenOffset() {
    assertEquals(50, send("bridge.d", 50));
    ReactiveReceiver r = new ReactiveReceiver(() -> new KafkaConsumer<>(settings.consumer("t", null)),
        ReactiveReceiver.Options.assign(Map.of(new org.apache.kafka.common.TopicPartition("bridge.d", 0), 45L)));
    StepVerifier.create(r.receive().map(x -> x.record().offset()).take(5))
        .expectNext(45L, 46L, 47L, 48L, 49L)
        .expectComplete()
        .verify(Duration.ofSeconds(60));
  }
}
