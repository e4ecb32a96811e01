package org.metaopt.ops.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.metaopt.dl4j.LearnedUpdater;
import org.metaopt.dl4j.runs.KafkaRunSink;
import org.metaopt.dl4j.runs.MetaoptListener;
import org.metaopt.ops.pipeline.RecordTransfer;
import org.metaopt.ops.pipeline.RecordedRuns;
import org.metaopt.stream.kafka.EmbeddedBroker;
import org.metaopt.stream.kafka.KafkaSettings;
import org.metaopt.stream.kafka.Topics;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Recorded runs end to end on a real broker: DL4J trainings with MetaoptListener land on the trajectories topic
 * beside other records, {@code metaopt runs} lists them, and {@code export} carries them to a file that
 * {@code runs --file} reads.
 */
@Timeout(180)
class RunsCommandTest {
  private static EmbeddedBroker broker;
  @TempDir static Path tmp;

  @BeforeAll
  static void start() {
    broker = EmbeddedBroker.start(Path.of("target", "kafka-runs-test-" + ProcessHandle.current().pid()), 0);
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  private static void train(KafkaSettings k, String runId, IUpdater updater, int steps) {
    MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(3).updater(updater).list()
        .layer(new DenseLayer.Builder().nIn(4).nOut(5).activation(Activation.TANH).build())
        .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(5).nOut(2)
            .activation(Activation.SOFTMAX).build())
        .build());
    net.init();
    if (updater instanceof LearnedUpdater) {
      LearnedUpdater.attach(net);
    }
    DataSet d = new DataSet(Nd4j.rand(DataType.FLOAT, 6, 4),
        Nd4j.createFromArray(new float[][] {{1, 0}, {0, 1}, {1, 0}, {1, 0}, {0, 1}, {0, 1}}));
    try (MetaoptListener listener = new MetaoptListener(new KafkaRunSink(k), runId, null, 3)) {
      net.setListeners(listener);
      for (int t = 0; t < steps; t++) {
        net.fit(d);
      }
    }
  }

  @Test
  void recordedRunsAreListedFromKafkaAndFromAnExportedFile() throws Exception {
    KafkaSettings k = KafkaSettings.of(broker.bootstrapServers()).withTopics(new Topics("runs-test"));
    k.topics().ensure(k, Duration.ofSeconds(60));
    try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(k.producer("other"))) {
      p.send(new ProducerRecord<>(k.topics().trajectories(), "not a run".getBytes(StandardCharsets.UTF_8))).get();
    }
    train(k, "celo2-run", LearnedUpdater.load(Path.of("..", "pretrained", "celo2.json")).withTotalSteps(7), 7);
    train(k, "adam-run", new org.nd4j.linalg.learning.config.Adam(), 2);

    List<RecordedRuns.Summary> live = RecordedRuns.fromKafka(k, 0, Long.MAX_VALUE).summaries();
    assertEquals(List.of("celo2-run", "adam-run"), live.stream().map(RecordedRuns.Summary::runId).toList());
    RecordedRuns.Summary celo2 = live.get(0);
    assertEquals(7, celo2.steps());
    assertEquals(0, celo2.firstStep());
    assertEquals(6, celo2.lastStep());
    assertEquals("celo2", celo2.optimizer());
    assertEquals(0, celo2.optimizerVersion());
    assertEquals("MultiLayerNetwork 4-5-2", celo2.model());
    assertTrue(celo2.complete());
    assertTrue(celo2.lastLoss() < celo2.firstLoss(), celo2.toString());
    assertEquals("Adam", live.get(1).optimizer());
    assertEquals(2, live.get(1).steps());

    Path file = tmp.resolve("runs.mrec");
    RecordTransfer.export(k, 0, Long.MAX_VALUE, file);
    assertEquals(live, RecordedRuns.fromFile(file).summaries());

    CliRun cli = CliRun.of("runs", "--bootstrap-servers", broker.bootstrapServers(), "--topic-prefix", "runs-test",
        "--log-dir", tmp.resolve("logs").toString(), "--json");
    assertEquals(0, cli.exitCode(), cli.err());
    List<String> lines = cli.out().lines().toList();
    assertEquals(2, lines.size(), cli.out());
    JsonNode first = new ObjectMapper().readTree(lines.get(0));
    assertEquals("celo2-run", first.get("runId").asText());
    assertEquals(7, first.get("steps").asInt());
    CliRun table = CliRun.of("runs", "--file", file.toString());
    assertEquals(0, table.exitCode(), table.err());
    assertTrue(table.out().contains("celo2 v0") && table.out().contains("2 recorded run(s)"), table.out());
  }
}
