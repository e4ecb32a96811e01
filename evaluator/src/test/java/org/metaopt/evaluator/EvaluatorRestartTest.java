package org.metaopt.evaluator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.metaopt.core.UserError;
import org.metaopt.core.spec.SpecLoader;
import org.metaopt.core.spec.SuiteSpec;
import org.metaopt.core.spec.TaskFactory;
import org.metaopt.core.tuning.LearningRateTuner;
import org.metaopt.core.tuning.TuningCache;
import org.metaopt.core.version.OptimizerVersion;
import org.metaopt.core.version.VersionFiles;
import org.metaopt.stream.kafka.EmbeddedBroker;
import org.metaopt.stream.kafka.EvaluationLog;
import org.metaopt.stream.kafka.KafkaSettings;
import org.metaopt.stream.kafka.Topics;
import org.metaopt.stream.kafka.VersionFollower;
import org.metaopt.stream.kafka.VersionLog;
import org.metaopt.stream.wire.EvaluationRecord;
import org.metaopt.stream.wire.WireFormat;

/**
 * An evaluator that restarts rebuilds what it scored from the evaluations topic: it keeps the better best.json when
 * its first new evaluation is worse, scores no version twice, rewrites a lost best.json from the versions topic, and
 * stops with a message when its version follower stays down.
 */
@Timeout(240)
class EvaluatorRestartTest {
  private static EmbeddedBroker broker;
  @TempDir static Path tmp;

  @BeforeAll
  static void start() {
    broker = EmbeddedBroker.start(Path.of("target", "kafka-evaluator-test-" + ProcessHandle.current().pid()), 0);
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  /** Records what one evaluator run reports. */
  private static final class Recorder implements EvaluatorService.Listener {
    final List<Long> scored = new CopyOnWriteArrayList<>();
    final AtomicReference<String> restored = new AtomicReference<>();

    @Override
    public void onEvaluation(EvaluationRecord r, boolean newBest) {
      scored.add(r.version());
    }

    @Override
    public void onRestored(int evaluations, long lastScored, EvaluationRecord best) {
      restored.set(evaluations + " evaluations, last " + lastScored + ", best " + best.version());
    }
  }

  private static OptimizerVersion version(long n, float scale) {
    OptimizerVersion shipped = VersionFiles.read(Path.of("..", "pretrained", "mlp-lopt.json"));
    float[] theta = shipped.theta().clone();
    for (int i = 0; i < theta.length; i++) {
      theta[i] *= scale;
    }
    return OptimizerVersion.of(n, n - 1, shipped.architecture(), shipped.hyperparameters(), theta, null,
        shipped.provenance());
  }

  private static void publish(KafkaSettings k, OptimizerVersion v) {
    try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(k.producer("test-versions"))) {
      p.send(new ProducerRecord<>(k.topics().versions(), VersionLog.key(v.version()), WireFormat.encode(v)));
      p.flush();
    }
  }

  private EvaluatorService service(KafkaSettings k, Recorder r) throws Exception {
    Path suiteFile = tmp.resolve("suite.yaml");
    Files.writeString(suiteFile, "name: tiny\ntasks:\n  - {name: q, family: quadratic, dim: 8, steps: 40}\n");
    SuiteSpec suite = SpecLoader.load(suiteFile);
    SuiteEvaluator evaluator = new SuiteEvaluator(new TaskFactory(null), new LearningRateTuner(new TuningCache(
        tmp.resolve("cache"))), FinalHessianTrace.DEFAULT);
    return new EvaluatorService(k, suite, evaluator, List.of("adam"), 1, 1, tmp.resolve("out"), r);
  }

  /** Runs an evaluator until {@code done} holds (then stops it), returning its recorder. */
  private Recorder runUntil(KafkaSettings k, java.util.function.Predicate<Recorder> done) throws Exception {
    Recorder r = new Recorder();
    EvaluatorService s = service(k, r);
    AtomicReference<Throwable> failed = new AtomicReference<>();
    Thread t = new Thread(() -> {
      try {
        s.run();
      } catch (Throwable e) {
        failed.set(e);
      }
    }, "test-evaluator");
    t.start();
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (!done.test(r) && failed.get() == null && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    Thread.sleep(1500); // a restarted evaluator has had time to score what it should not
    s.close();
    t.join(60_000);
    if (failed.get() != null) {
      throw new AssertionError("the evaluator failed", failed.get());
    }
    assertTrue(done.test(r), "scored " + r.scored + ", restored " + r.restored.get());
    return r;
  }

  @Test
  void aRestartKeepsTheBetterBestJsonAndScoresNoVersionTwice() throws Exception {
    KafkaSettings k = KafkaSettings.of(broker.bootstrapServers()).withTopics(new Topics("er"));
    k.topics().ensure(k, Duration.ofSeconds(60));
    Path best = tmp.resolve("out").resolve("best.json");
    publish(k, version(0, 1f)); // the shipped mlp-lopt
    Recorder first = runUntil(k, r -> r.scored.contains(0L));
    assertEquals(0, VersionFiles.read(best).version());

    publish(k, version(1, 1000f)); // the same θ scaled 1000x: steps far too large
    Recorder second = runUntil(k, r -> r.scored.contains(1L));
    assertEquals("1 evaluations, last 0, best 0", second.restored.get());
    assertEquals(List.of(1L), second.scored, "version 0 is not scored again");
    List<EvaluationRecord> onTopic = EvaluationLog.readAll(k, Duration.ofSeconds(30));
    assertTrue(EvaluationHistory.better(onTopic.get(0), onTopic.get(1)), "version 1 scores worse than version 0: "
        + onTopic.get(1).geometricMeanLossRatio() + " vs " + onTopic.get(0).geometricMeanLossRatio());
    OptimizerVersion kept = VersionFiles.read(best);
    assertEquals(0, kept.version(), "best.json keeps the better version across the restart");
    assertEquals(version(0, 1f).thetaSha256(), kept.thetaSha256());

    Files.delete(best); // a lost best.json is rewritten from the versions topic
    Recorder third = runUntil(k, r -> r.restored.get() != null);
    assertTrue(third.scored.isEmpty(), "nothing new to score: " + third.scored);
    assertEquals(version(0, 1f).thetaSha256(), VersionFiles.read(best).thetaSha256());
    assertEquals(List.of(0L, 1L), EvaluationLog.readAll(k, Duration.ofSeconds(30)).stream()
        .map(EvaluationRecord::version).toList(), "one evaluation per scored version across three runs");
    assertFalse(first.scored.isEmpty());
  }

  @Test
  void aFollowerDownPastItsLimitStopsTheEvaluatorWithAMessage() throws Exception {
    KafkaSettings k = KafkaSettings.of(broker.bootstrapServers()).withTopics(new Topics("ef"));
    k.topics().ensure(k, Duration.ofSeconds(60));
    EvaluatorService s = service(k, new Recorder()).followWith(VersionFollower.Options.defaults()
        .withMaxDowntime(Duration.ofMillis(500)).withConsumers(config -> {
          MockConsumer<byte[], byte[]> c = new MockConsumer<>("earliest");
          c.updateEndOffsets(java.util.Map.of(new org.apache.kafka.common.TopicPartition(k.topics().versions(), 0),
              0L));
          c.setPollException(new KafkaException("injected: connection reset"));
          return c;
        }));
    UserError e = assertThrows(UserError.class, s::run);
    assertTrue(e.getMessage().startsWith("evaluator: the version follower could not read ef.versions.v1"),
        e.getMessage());
    assertTrue(e.getMessage().contains("injected: connection reset"), e.getMessage());
  }
}
