package org.metaopt.ops.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.metaopt.stream.kafka.EmbeddedBroker;
import org.metaopt.stream.kafka.KafkaSettings;
import org.metaopt.stream.kafka.Offsets;
import org.metaopt.stream.kafka.VersionLog;
import org.metaopt.core.meta.MetaTrainConfigs;
import org.metaopt.core.spec.TaskFactory;
import org.metaopt.metalearner.KafkaLearner;
import org.metaopt.producer.ProducerService;

/**
 * The broker goes away for a while and comes back on the same port and log folder: producers block and retry
 * instead of losing segments, the learner resumes its chain, and nothing crashes.
 */
@Timeout(300)
class BrokerOutageTest {
  @TempDir Path tmp;

  @Test
  void segmentsSurviveABrokerRestart() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    Path data = Path.of("target", "kafka-outage-test-" + ProcessHandle.current().pid());
    EmbeddedBroker broker = EmbeddedBroker.start(data, port);
    KafkaSettings k = KafkaSettings.of(broker.bootstrapServers());
    k.topics().ensure(k, Duration.ofSeconds(60));
    MetaTrainConfigs.Loaded meta = MetaTrainConfigs.load(PipelineFixtures.syntheticConfig(tmp));
    KafkaLearner learner = new KafkaLearner(k, meta, new KafkaLearner.Listener() { });
    Thread lt = new Thread(learner::run, "outage-learner");
    lt.start();
    ProducerService producer = new ProducerService(k, meta, new TaskFactory(null), ProducerService.Options.defaults(1));
    assertTrue(producer.start(Duration.ofSeconds(60)));
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (learner.versionsPublished() < 10 && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    long versionsBefore = learner.versionsPublished();
    assertTrue(versionsBefore >= 10);

    broker.close(); // outage
    Thread.sleep(6000);
    long producedDuringOutage = producer.segmentsProduced();
    broker = EmbeddedBroker.start(data, port); // back on the same port and log folder
    try {
      deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
      while (learner.versionsPublished() < versionsBefore + 10 && System.nanoTime() < deadline) {
        Thread.sleep(200);
      }
      assertTrue(learner.versionsPublished() >= versionsBefore + 10, "the learner resumed after the outage: "
          + learner.versionsPublished() + " versions");
      assertTrue(producer.segmentsProduced() > producedDuringOutage, "the producers resumed");
      producer.close();
      assertEquals(0, producer.sink().failed(), "no segment given up");
      assertEquals(producer.segmentsProduced(), producer.segmentsSent(), "every produced segment acknowledged");
      assertEquals(producer.segmentsSent(), Offsets.end(k, k.topics().trajectories()),
          "and on the topic exactly once (idempotent producer)");
      Thread.sleep(2000);
      learner.close();
      lt.join(30_000);
      PipelineFixtures.assertChainAndRanges(VersionLog.readAll(k, Duration.ofSeconds(30)),
          Offsets.learnerCommitted(k));
    } finally {
      broker.close();
    }
  }
}
