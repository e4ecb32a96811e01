package org.metaopt.ops.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.metaopt.stream.kafka.EmbeddedBroker;
import org.metaopt.stream.kafka.KafkaSettings;
import org.metaopt.stream.kafka.Offsets;
import org.metaopt.stream.kafka.Topics;
import org.metaopt.stream.kafka.VersionLog;
import org.metaopt.core.meta.MetaTrainConfigs;
import org.metaopt.core.spec.TaskFactory;
import org.metaopt.core.version.OptimizerVersion;
import org.metaopt.metalearner.KafkaLearner;
import org.metaopt.metalearner.Replay;
import org.metaopt.producer.ProducerService;

/**
 * The pipeline in one JVM against a real broker: exactly-once versions with contiguous offset ranges, dead letters
 * landing exactly once while the stream goes on, replay reproducing the SHA-256 chain, and a slow learner whose
 * lag grows without anything being lost.
 */
@Timeout(300)
class PipelineTest {
  private static EmbeddedBroker broker;
  @TempDir static Path tmp;

  @BeforeAll
  static void start() {
    broker = EmbeddedBroker.start(Path.of("target", "kafka-pipeline-test-" + ProcessHandle.current().pid()), 0);
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  private static KafkaSettings settings(String prefix) {
    KafkaSettings k = KafkaSettings.of(broker.bootstrapServers()).withTopics(new Topics(prefix));
    k.topics().ensure(k, Duration.ofSeconds(60));
    return k;
  }

  private static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
    await(what, timeout, condition, () -> "");
  }

  private static void await(String what, Duration timeout, BooleanSupplier condition,
      java.util.function.Supplier<String> state) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what + "; " + state.get());
      }
      Thread.sleep(100);
    }
  }

  /** The first {@code n} records of the trajectories topic (real segments), as the fuzzer's seeds. */
  private static List<byte[]> firstSegments(KafkaSettings k, int n) {
    TopicPartition tp = new TopicPartition(k.topics().trajectories(), 0);
    List<byte[]> out = new java.util.ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(k.consumer("test-seeds", null))) {
      c.assign(List.of(tp));
      c.seekToBeginning(List.of(tp));
      while (out.size() < n) {
        for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(500))) {
          if (out.size() < n) {
            out.add(r.value());
          }
        }
      }
    }
    return out;
  }

  /** {@code n} fuzzed records (MalformedRecords) onto the trajectories topic while the learner runs. */
  private static MalformedRecords.Batch sendFuzzed(KafkaSettings k, int n) {
    MalformedRecords.Batch batch = MalformedRecords.generate(firstSegments(k, 20), n, 7);
    try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(k.producer("fuzzer"))) {
      for (int i = 0; i < n; i++) {
        p.send(new ProducerRecord<>(k.topics().trajectories(), ("fuzz" + i).getBytes(StandardCharsets.UTF_8),
            batch.values().get(i)));
      }
      p.flush();
    }
    return batch;
  }

  /** Heap in use after two full collections, in MiB. */
  private static double heapAfterGcMiB() throws InterruptedException {
    for (int i = 0; i < 2; i++) {
      System.gc();
      Thread.sleep(200);
    }
    return java.lang.management.ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / 1048576.0;
  }

  /**
   * Fuzz: 10,000 mutated records (bit flips, truncations, wrong kinds, unknown majors, huge declared lengths,
   * garbage) into a running learner all land in the dead-letter topic once, with their reason, the chain stays
   * intact, and replay reproduces it.
   */
  @Test
  void versionsAreExactlyOnceTenThousandFuzzedRecordsLandInTheDlqAndReplayReproducesTheChain() throws Exception {
    KafkaSettings k = settings("pa");
    MetaTrainConfigs.Loaded meta = MetaTrainConfigs.load(PipelineFixtures.syntheticConfig(tmp.resolve("a")));
    Recorder recorder = new Recorder();
    KafkaLearner learner = new KafkaLearner(k, meta, recorder);
    Thread lt = new Thread(learner::run, "test-learner");
    lt.start();
    ProducerService producer = new ProducerService(k, meta, new TaskFactory(null), ProducerService.Options.defaults(1));
    assertTrue(producer.start(Duration.ofSeconds(60)), "version 0 published");
    await("10 versions", Duration.ofSeconds(120), () -> learner.versionsPublished() >= 10);
    double heapBefore = heapAfterGcMiB();
    MalformedRecords.Batch fuzz = sendFuzzed(k, 10_000);
    await("10,000 dead letters and 40 versions", Duration.ofSeconds(180),
        () -> learner.deadLetters() >= 10_000 && learner.versionsPublished() >= 40,
        () -> learner.deadLetters() + " dead letters, " + learner.versionsPublished() + " versions, "
            + learner.segmentsConsumed() + " segments consumed, " + learner.segmentsUncommitted() + " uncommitted, "
            + "restarts " + recorder.restarts + ", trajectories end " + PipelineFixtures.endOffset(k,
            k.topics().trajectories()) + ", committed " + Offsets.learnerCommitted(k));
    double heapAfter = heapAfterGcMiB();
    System.out.printf("fuzz: 10,000 records (%s; redrawn because the learner accepts them: %s) -> %d dead letters; "
        + "heap after GC %.1f MiB before, %.1f MiB after (broker, learner and producer in this JVM)%n", fuzz.made(),
        fuzz.redrawn(), learner.deadLetters(), heapBefore, heapAfter);
    producer.close();
    Thread.sleep(3000); // let the learner take what is left
    learner.close();
    lt.join(30_000);

    long committed = PipelineFixtures.committed(k);
    List<OptimizerVersion> versions = VersionLog.readAll(k, Duration.ofSeconds(30));
    int n = PipelineFixtures.assertChainAndRanges(versions, committed);
    assertTrue(n > 40, n + " versions");

    // every malformed record is in the dead-letter topic exactly once, with its reason
    TopicPartition dlq = new TopicPartition(k.topics().deadLetters(), 0);
    int dead = 0;
    java.util.Map<String, Integer> reasons = new java.util.TreeMap<>();
    java.util.Set<String> sources = new java.util.HashSet<>();
    try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(k.consumer("test-dlq", null))) {
      c.assign(List.of(dlq));
      c.seekToBeginning(List.of(dlq));
      long end = c.endOffsets(List.of(dlq)).get(dlq);
      while (c.position(dlq) < end) {
        for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(500))) {
          assertNotNull(r.headers().lastHeader(KafkaLearner.DLQ_REASON), "reason header");
          String reason = new String(r.headers().lastHeader(KafkaLearner.DLQ_REASON).value(), StandardCharsets.UTF_8);
          assertTrue(!reason.isBlank() && !reason.contains("\n"), reason);
          reasons.merge(reason.split(" ")[0], 1, Integer::sum);
          sources.add(new String(r.headers().lastHeader(KafkaLearner.DLQ_SOURCE).value(), StandardCharsets.UTF_8));
          dead++;
        }
      }
    }
    System.out.println("fuzz: dead letters by the reason's first word: " + reasons);
    assertEquals(10_000, dead, "dead letters");
    assertEquals(10_000, sources.size(), "each fuzzed record once (distinct source offsets)");
    assertEquals(10_000, learner.deadLetters());

    // a fresh learner with the same config, fed the recorded range, computes the same SHA-256 chain
    Replay.Result r = new Replay(k, meta).run(0, Long.MAX_VALUE, Replay.WindowMode.RECORDED, v -> { });
    assertEquals(n - 1, r.versions().size(), "replayed versions");
    assertEquals(n - 1, r.compared());
    assertEquals(0, r.mismatches(), "first mismatch at version " + r.firstMismatch());
    assertEquals(10_000, r.malformed());
  }

  @Test
  void aSlowLearnerLetsLagGrowWithoutLosingAnything() throws Exception {
    KafkaSettings k = settings("pb");
    MetaTrainConfigs.Loaded meta = MetaTrainConfigs.load(PipelineFixtures.syntheticConfig(tmp.resolve("b")));
    KafkaLearner learner = new KafkaLearner(k, meta, new KafkaLearner.Listener() { })
        .throttle(Duration.ofMillis(400));
    Thread lt = new Thread(learner::run, "test-slow-learner");
    lt.start();
    ProducerService producer = new ProducerService(k, meta, new TaskFactory(null), ProducerService.Options.defaults(1));
    assertTrue(producer.start(Duration.ofSeconds(60)));
    await("3 versions", Duration.ofSeconds(60), () -> learner.versionsPublished() >= 3);
    Thread.sleep(3000);
    long lag1 = PipelineFixtures.endOffset(k, k.topics().trajectories()) - PipelineFixtures.committed(k);
    Thread.sleep(8000);
    long lag2 = PipelineFixtures.endOffset(k, k.topics().trajectories()) - PipelineFixtures.committed(k);
    assertTrue(lag2 > lag1 && lag1 > 0, "lag grows: " + lag1 + " then " + lag2);
    producer.close();
    assertEquals(0, producer.sink().failed(), "no failed sends");
    assertEquals(producer.segmentsProduced(), producer.segmentsSent(), "every produced segment was acknowledged");
    assertEquals(producer.segmentsSent(), PipelineFixtures.endOffset(k, k.topics().trajectories()),
        "every acknowledged segment is on the topic");
    learner.close();
    lt.join(30_000);
    PipelineFixtures.assertChainAndRanges(VersionLog.readAll(k, Duration.ofSeconds(30)), PipelineFixtures.committed(k));
  }

  /** Records one learner's activations and session restarts. */
  private static final class Recorder implements KafkaLearner.Listener {
    final java.util.List<Long> activeFrom = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
    final java.util.List<String> restarts = java.util.Collections.synchronizedList(new java.util.ArrayList<>());

    @Override
    public void onActive(OptimizerVersion from) {
      activeFrom.add(from.version());
    }

    @Override
    public void onRestart(String reason) {
      restarts.add(reason);
    }
  }

  @Test
  void aStandbyLearnerTakesOverAndContinuesTheChain() throws Exception {
    KafkaSettings k = settings("pc");
    MetaTrainConfigs.Loaded meta = MetaTrainConfigs.load(PipelineFixtures.syntheticConfig(tmp.resolve("c")));
    Recorder r1 = new Recorder();
    Recorder r2 = new Recorder();
    KafkaLearner first = new KafkaLearner(k, meta, r1);
    Thread t1 = new Thread(first::run, "test-learner-1");
    t1.start();
    await("the first learner active", Duration.ofSeconds(60), () -> r1.activeFrom.size() == 1);
    KafkaLearner standby = new KafkaLearner(k, meta, r2);
    Thread t2 = new Thread(standby::run, "test-learner-2");
    t2.start();
    ProducerService producer = new ProducerService(k, meta, new TaskFactory(null), ProducerService.Options.defaults(1));
    assertTrue(producer.start(Duration.ofSeconds(60)));
    await("20 versions", Duration.ofSeconds(120), () -> first.versionsPublished() >= 20,
        () -> "first: published " + first.versionsPublished() + ", activations " + r1.activeFrom + ", restarts "
            + r1.restarts + "; standby: published " + standby.versionsPublished() + ", activations "
            + r2.activeFrom + ", restarts " + r2.restarts);
    assertEquals(0, standby.versionsPublished(), "the standby publishes nothing while the first is active");
    assertTrue(r2.activeFrom.isEmpty(), "the standby stays passive");
    long firstPublished = first.versionsPublished();
    first.close();
    t1.join(30_000);
    await("the standby takes over and publishes 10 versions", Duration.ofSeconds(120),
        () -> standby.versionsPublished() >= 10);
    producer.close();
    Thread.sleep(2000);
    standby.close();
    t2.join(30_000);
    // the first learner may re-activate itself (reload the committed state) after a commit the group rejected
    // during the standby's join; the standby activates once, from where the first learner stopped
    assertEquals(1, r2.activeFrom.size(), "standby activations: " + r2.activeFrom);
    assertTrue(r2.activeFrom.get(0) >= firstPublished - 1, "the standby resumed from version "
        + r2.activeFrom.get(0) + "; the first learner had published " + firstPublished);
    PipelineFixtures.assertChainAndRanges(VersionLog.readAll(k, Duration.ofSeconds(30)), PipelineFixtures.committed(k));
  }

  @Test
  void aBacklogIsTakenInWindowsUpToMaxSegments() throws Exception {
    KafkaSettings k = settings("pd");
    MetaTrainConfigs.Loaded meta = MetaTrainConfigs.load(PipelineFixtures.syntheticConfig(tmp.resolve("d")));
    assertTrue(meta.windowMaxSegments() > meta.windowSegments(), "the demo config joins waiting windows");
    KafkaLearner first = new KafkaLearner(k, meta, new KafkaLearner.Listener() { });
    Thread t1 = new Thread(first::run, "test-learner-v0");
    t1.start();
    ProducerService producer = new ProducerService(k, meta, new TaskFactory(null), ProducerService.Options.defaults(1));
    assertTrue(producer.start(Duration.ofSeconds(60)), "version 0 published");
    first.close(); // a backlog of segments made with its last version builds up while no learner runs
    t1.join(30_000);
    long committed = PipelineFixtures.committed(k);
    await("a backlog of 200 segments", Duration.ofSeconds(120),
        () -> PipelineFixtures.endOffset(k, k.topics().trajectories()) >= committed + 200);
    producer.close();

    java.util.List<Integer> used = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
    KafkaLearner second = new KafkaLearner(k, meta, new KafkaLearner.Listener() {
      @Override
      public void onVersion(OptimizerVersion v, org.metaopt.metalearner.MetaLearner.StepReport r) {
        used.add(r.segments());
      }
    });
    Thread t2 = new Thread(second::run, "test-learner-backlog");
    t2.start();
    // the last version's segments stay fresh for maxStaleness + 1 versions; the rest of the backlog is then stale
    long backlog = PipelineFixtures.endOffset(k, k.topics().trajectories());
    // the stale tail commits with no later version: it is read (uncommitted) but not counted as consumed
    await("the backlog read", Duration.ofSeconds(120),
        () -> second.segmentsConsumed() + second.segmentsUncommitted() >= backlog - first.segmentsConsumed(),
        () -> "backlog " + backlog + ", first learner consumed " + first.segmentsConsumed() + ", second consumed "
            + second.segmentsConsumed() + " (" + second.droppedStale() + " stale), published "
            + second.versionsPublished());
    second.close();
    t2.join(30_000);
    PipelineFixtures.assertChainAndRanges(VersionLog.readAll(k, Duration.ofSeconds(30)), PipelineFixtures.committed(k));
    int widest = used.stream().mapToInt(Integer::intValue).max().orElse(0);
    int total = used.stream().mapToInt(Integer::intValue).sum();
    String state = "segments used per version " + used + "; window.segments " + meta.windowSegments()
        + ", maxSegments " + meta.windowMaxSegments() + ", maxStaleness " + meta.maxStaleness();
    assertTrue(widest > meta.windowSegments() && widest <= meta.windowMaxSegments(), state);
    // windows of window.segments alone could use at most (maxStaleness + 1) * segments of one version's segments
    assertTrue(total > (meta.maxStaleness() + 1) * meta.windowSegments(), state);
  }

  @Test
  void topicsOfAnotherConfigStopTheLearnerAndProducersWithAMessage() throws Exception {
    KafkaSettings k = settings("pe");
    Path metaFile = PipelineFixtures.syntheticConfig(tmp.resolve("e"));
    MetaTrainConfigs.Loaded meta = MetaTrainConfigs.load(metaFile);
    KafkaLearner first = new KafkaLearner(k, meta, new KafkaLearner.Listener() { });
    Thread t1 = new Thread(first::run, "test-learner-e");
    t1.start();
    await("version 0", Duration.ofSeconds(60), () -> first.versionsPublished() >= 1);
    first.close();
    t1.join(30_000);
    assertEquals(null, first.failure(), "a closed learner has no failure");

    Path other = tmp.resolve("e").resolve("other.yaml");
    java.nio.file.Files.writeString(other, java.nio.file.Files.readString(metaFile)
        + "hyperparameters: {hiddenSize: 8}\n");
    MetaTrainConfigs.Loaded changed = MetaTrainConfigs.load(other);
    Recorder r = new Recorder();
    KafkaLearner learner = new KafkaLearner(k, changed, r);
    Thread t2 = new Thread(learner::run, "test-learner-other");
    t2.start();
    t2.join(60_000);
    assertTrue(!t2.isAlive(), "the learner stops by itself");
    assertNotNull(learner.failure(), "the learner says why");
    assertTrue(learner.failure().getMessage().contains("does not fit " + other), learner.failure().getMessage());
    assertTrue(learner.failure().getMessage().contains("hiddenSize=8"), learner.failure().getMessage());
    assertTrue(r.restarts.isEmpty(), "no restarts: " + r.restarts);

    ProducerService producer = new ProducerService(k, changed, new TaskFactory(null),
        ProducerService.Options.defaults(1));
    try {
      org.metaopt.core.UserError e = org.junit.jupiter.api.Assertions.assertThrows(org.metaopt.core.UserError.class,
          () -> producer.start(Duration.ofSeconds(60)));
      assertTrue(e.getMessage().contains("version 0 on " + k.topics().versions()), e.getMessage());
      assertEquals(0, producer.segmentsProduced(), "no worker ran with the other config's θ");
    } finally {
      producer.close();
    }
  }
}
