package org.metaopt.ops.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.metaopt.core.meta.MetaTrainConfigs;
import org.metaopt.core.spec.SpecLoader;
import org.metaopt.core.spec.TaskFactory;
import org.metaopt.core.tuning.LearningRateTuner;
import org.metaopt.core.tuning.TuningCache;
import org.metaopt.evaluator.EvaluatorService;
import org.metaopt.evaluator.FinalHessianTrace;
import org.metaopt.evaluator.SuiteEvaluator;
import org.metaopt.metalearner.KafkaLearner;
import org.metaopt.metalearner.LearnerLag;
import org.metaopt.producer.ProducerService;
import org.metaopt.stream.kafka.BrokerSecurity;
import org.metaopt.stream.kafka.EmbeddedBroker;
import org.metaopt.stream.kafka.KafkaSettings;
import org.metaopt.stream.kafka.Topics;
import org.metaopt.stream.kafka.VersionLog;
import org.metaopt.stream.wire.EvaluationRecord;

/**
 * The three services on a {@code --secure} broker, each logged in with its own client file: the ACLs let each do
 * what it needs (the learner's group, transaction and lag, the producer's writes, the evaluator's reads and writes)
 * and the chain and an evaluation come out as on a plaintext broker.
 */
@Timeout(240)
class SecurePipelineTest {
  @TempDir Path tmp;

  private static KafkaSettings fromFile(EmbeddedBroker b, Path clients, String principal, Topics topics) {
    return new KafkaSettings(b.bootstrapServers(),
        KafkaSettings.readConfigFile(clients.resolve(principal + ".properties")), topics);
  }

  @Test
  void everyServiceRunsAsItsOwnPrincipal() throws Exception {
    Topics topics = Topics.defaults();
    Path clients = tmp.resolve("clients");
    try (EmbeddedBroker broker = EmbeddedBroker.start(Path.of("target", "kafka-secure-pipeline-"
        + ProcessHandle.current().pid()), 0, Map.of(), BrokerSecurity.open(clients, topics, Map.of()))) {
      topics.ensure(broker.settings("admin", topics), Duration.ofSeconds(60));
      KafkaSettings asLearner = fromFile(broker, clients, "learner", topics);
      KafkaSettings asProducer = fromFile(broker, clients, "producer", topics);
      KafkaSettings asEvaluator = fromFile(broker, clients, "evaluator", topics);
      for (KafkaSettings k : List.of(asLearner, asProducer, asEvaluator)) {
        topics.ensure(k, Duration.ofSeconds(30)); // what each service does at start: it sees all four topics
      }
      MetaTrainConfigs.Loaded meta = MetaTrainConfigs.load(PipelineFixtures.syntheticConfig(tmp.resolve("config")));
      SimpleMeterRegistry registry = new SimpleMeterRegistry();
      KafkaLearner learner = new KafkaLearner(asLearner, meta, new KafkaLearner.Listener() { }).metrics(registry);
      LearnerLag lag = new LearnerLag(asLearner, Duration.ofMillis(200));
      lag.bindTo(registry);
      Thread lt = new Thread(learner::run, "secure-learner");
      lt.start();
      ProducerService producer = new ProducerService(asProducer, meta, new TaskFactory(null),
          ProducerService.Options.defaults(1));
      List<EvaluationRecord> scored = new CopyOnWriteArrayList<>();
      EvaluatorService evaluator = evaluator(asEvaluator, scored);
      AtomicReference<Throwable> evaluatorFailed = new AtomicReference<>();
      Thread et = new Thread(() -> {
        try {
          evaluator.run();
        } catch (Throwable e) {
          evaluatorFailed.set(e);
        }
      }, "secure-evaluator");
      et.start();
      try {
        assertTrue(producer.start(Duration.ofSeconds(60)), "the producer sees version 0");
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while ((learner.versionsPublished() < 10 || scored.isEmpty()) && System.nanoTime() < deadline
            && evaluatorFailed.get() == null && learner.failure() == null) {
          Thread.sleep(100);
        }
        assertEquals(null, learner.failure());
        assertEquals(null, evaluatorFailed.get());
        assertTrue(learner.versionsPublished() >= 10, learner.versionsPublished() + " versions");
        assertTrue(!scored.isEmpty(), "an evaluation was published");
        assertTrue(Double.isFinite(registry.get("metaopt.learner.lag").gauge().value()),
            "the learner principal may read its group's offsets");
      } finally {
        producer.close();
        evaluator.close();
        et.join(60_000);
        learner.close();
        lt.join(30_000);
        lag.close();
      }
      assertEquals(0, producer.sink().failed(), "no segment refused");
      PipelineFixtures.assertChainAndRanges(VersionLog.readAll(asLearner, Duration.ofSeconds(30)),
          PipelineFixtures.committed(broker.settings("admin", topics)));
    }
  }

  private EvaluatorService evaluator(KafkaSettings k, List<EvaluationRecord> scored) throws Exception {
    Path suite = tmp.resolve("suite.yaml");
    Files.writeString(suite, "name: tiny\ntasks:\n  - {name: q, family: quadratic, dim: 8, steps: 40}\n");
    SuiteEvaluator e = new SuiteEvaluator(new TaskFactory(null), new LearningRateTuner(new TuningCache(
        tmp.resolve("cache"))), FinalHessianTrace.DEFAULT);
    return new EvaluatorService(k, SpecLoader.load(suite), e, List.of("adam"), 5, 1, tmp.resolve("evaluator"),
        new EvaluatorService.Listener() {
          @Override
          public void onEvaluation(EvaluationRecord r, boolean newBest) {
            scored.add(r);
          }
        });
  }
}
