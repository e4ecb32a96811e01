package org.metaopt.dl4j.runs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.junit.jupiter.api.Test;
import org.metaopt.dl4j.LearnedUpdater;
import org.metaopt.stream.wire.RunRecord;
import org.metaopt.stream.wire.WireFormat;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** The recorded run: chunks, per-step statistics and the optimizer's identity. */
class MetaoptListenerTest {

  /** Keeps what it is sent, through the wire format. */
  static final class ListSink implements RunSink {
    final List<RunRecord> chunks = new ArrayList<>();
    boolean closed;

    @Override
    public void send(RunRecord chunk) {
      chunks.add(WireFormat.decodeRun(WireFormat.encode(chunk)));
    }

    @Override
    public void close() {
      closed = true;
    }
  }

  /** The score and the minibatch-mean gradient norm DL4J computed, per step. */
  static final class Truth extends BaseTrainingListener {
    final List<Double> scores = new ArrayList<>();
    final List<Double> norms = new ArrayList<>();

    @Override
    public void onGradientCalculation(Model model) {
      scores.add(model.score());
      norms.add(model.gradient().gradient().norm2Number().doubleValue() / model.batchSize());
    }
  }

  static MultiLayerNetwork net(IUpdater updater) {
    MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(1).updater(updater).list()
        .layer(new DenseLayer.Builder().nIn(4).nOut(6).activation(Activation.RELU).build())
        .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(6).nOut(2)
            .activation(Activation.SOFTMAX).build())
        .build());
    net.init();
    return net;
  }

  static DataSet data() {
    return new DataSet(Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 5, 4),
        Nd4j.createFromArray(new float[][] {{1, 0}, {0, 1}, {1, 0}, {1, 0}, {0, 1}}));
  }

  @Test
  void recordsEveryStepInChunksAndTheLastOneOnClose() {
    LearnedUpdater celo2 = LearnedUpdater.load(Path.of("..", "pretrained", "celo2.json")).withTotalSteps(7);
    MultiLayerNetwork net = net(celo2);
    LearnedUpdater.attach(net);
    ListSink sink = new ListSink();
    MetaoptListener listener = new MetaoptListener(sink, "run-1", null, 3);
    Truth truth = new Truth();
    net.setListeners(truth, listener);
    DataSet d = data();
    for (int t = 0; t < 7; t++) {
      net.fit(d);
    }
    assertEquals(2, sink.chunks.size());
    listener.close();
    listener.close();
    assertTrue(sink.closed);
    assertEquals(3, sink.chunks.size());
    int step = 0;
    for (RunRecord c : sink.chunks) {
      assertEquals("run-1", c.runId());
      assertEquals("MultiLayerNetwork 4-6-2", c.model());
      assertEquals(net.numParams(), c.numParams());
      assertEquals("celo2", c.optimizer());
      assertEquals(celo2.version(), c.optimizerVersion());
      assertEquals(celo2.thetaSha256(), c.thetaSha256());
      assertEquals(step, c.stepOffset());
      for (int i = 0; i < c.steps(); i++, step++) {
        assertEquals(truth.scores.get(step), c.losses()[i], 1e-6);
        assertEquals(truth.norms.get(step), c.gradientNorms()[i], 1e-6);
        assertTrue(c.gradientMaxAbs()[i] > 0 && c.gradientMaxAbs()[i] <= c.gradientNorms()[i] + 1e-7);
      }
    }
    assertEquals(7, step);
    assertEquals(List.of(false, false, true), sink.chunks.stream().map(RunRecord::last).toList());
    assertTrue(Float.isNaN(sink.chunks.get(0).stepMillis()[0]));
    assertFalse(Float.isNaN(sink.chunks.get(0).stepMillis()[1]));
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> net.fit(d));
    assertTrue(e.getMessage().contains("is closed"), e.getMessage());
  }

  @Test
  void aDl4jUpdaterIsRecordedByName() {
    MultiLayerNetwork net = net(new org.nd4j.linalg.learning.config.Adam());
    ListSink sink = new ListSink();
    MetaoptListener listener = new MetaoptListener(sink, null, "my-net", 50);
    net.setListeners(listener);
    net.fit(data());
    listener.close();
    RunRecord c = sink.chunks.get(0);
    assertEquals("Adam", c.optimizer());
    assertEquals(-1, c.optimizerVersion());
    assertEquals("", c.thetaSha256());
    assertEquals("my-net", c.model());
    assertEquals(listener.runId(), c.runId());
    assertEquals(1, c.steps());
  }
}
