package org.metaopt.ops.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.metaopt.core.meta.MetaTrainConfigs;
import org.metaopt.core.spec.TaskFactory;
import org.metaopt.dl4j.runs.KafkaRunSink;
import org.metaopt.metalearner.KafkaLearner;
import org.metaopt.producer.ProducerService;
import org.metaopt.stream.kafka.EmbeddedBroker;
import org.metaopt.stream.kafka.KafkaSettings;
import org.metaopt.stream.kafka.Topics;
import org.metaopt.stream.kafka.VersionLog;
import org.metaopt.stream.wire.RunRecord;

/**
 * Recorded runs share the trajectories topic with the producers' segments: the learner skips them (no dead letter,
 * no estimate) and its versions' offset ranges still tile the topic, recorded runs included.
 */
@Timeout(240)
class RecordedRunsLearnerTest {
  private static EmbeddedBroker broker;
  @TempDir static Path tmp;

  @BeforeAll
  static void start() {
    broker = EmbeddedBroker.start(Path.of("target", "kafka-recorded-runs-test-" + ProcessHandle.current().pid()), 0);
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  private static RunRecord chunk(int i) {
    return new RunRecord("run-" + (i % 3), i / 3, "MultiLayerNetwork 4-5-2", 37, "celo2", 0, "ab".repeat(32),
        10L * (i / 3), 0, new float[] {1f, 0.9f}, new float[] {0.5f, 0.4f}, new float[] {0.1f, 0.1f},
        new float[] {Float.NaN, 3f}, false, Instant.now().toString());
  }

  @Test
  void theLearnerSkipsRecordedRunsAndItsOffsetRangesStillTileTheTopic() throws Exception {
    KafkaSettings k = KafkaSettings.of(broker.bootstrapServers()).withTopics(new Topics("rr"));
    k.topics().ensure(k, Duration.ofSeconds(60));
    MetaTrainConfigs.Loaded meta = MetaTrainConfigs.load(PipelineFixtures.syntheticConfig(tmp.resolve("c")));
    KafkaLearner learner = new KafkaLearner(k, meta, new KafkaLearner.Listener() { });
    Thread lt = new Thread(learner::run, "test-learner");
    lt.start();
    ProducerService producer = new ProducerService(k, meta, new TaskFactory(null), ProducerService.Options.defaults(1));
    assertTrue(producer.start(Duration.ofSeconds(60)));
    try (KafkaRunSink runs = new KafkaRunSink(k)) {
      for (int i = 0; i < 60; i++) {
        runs.send(chunk(i));
        Thread.sleep(50);
      }
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (learner.versionsPublished() < 4 && System.nanoTime() < deadline) {
      Thread.sleep(200);
    }
    producer.close();
    learner.close();
    lt.join(30_000);
    assertTrue(learner.versionsPublished() >= 4, "versions published: " + learner.versionsPublished());
    assertEquals(0, learner.deadLetters(), "recorded runs must not be dead-lettered");
    assertEquals(0, PipelineFixtures.endOffset(k, k.topics().deadLetters()), "nothing on the dead-letter topic");
    PipelineFixtures.assertChainAndRanges(VersionLog.readAll(k, Duration.ofSeconds(30)), PipelineFixtures.committed(k));
    assertEquals(60, RecordedRuns.fromKafka(k, 0, Long.MAX_VALUE).summaries().stream()
        .mapToLong(RecordedRuns.Summary::steps).sum() / 2, "every chunk is on the topic");
  }
}
