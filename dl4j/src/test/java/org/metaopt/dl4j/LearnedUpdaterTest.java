package org.metaopt.dl4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Path;
import java.util.List;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.metaopt.core.lopt.LearnedUpdate;
import org.metaopt.core.lopt.registry.LearnedOptimizers;
import org.metaopt.core.version.OptimizerVersion;
import org.metaopt.core.version.VersionFiles;
import org.nd4j.linalg.dataset.DataSet;

/** The learned optimizer as a DL4J updater: the same steps as metaopt's own, saved and restored, configured in JSON. */
class LearnedUpdaterTest {
  static final int STEPS = 12;

  @ParameterizedTest
  @ValueSource(strings = {"celo2.json", "mlp-lopt-h4w.json", "hierarchical-rnn-w.json"})
  void takesTheSameStepsAsMetaoptsOwnOptimizerOnTheSameGradients(String file) {
    OptimizerVersion v = VersionFiles.read(TinyNets.pretrained(file));
    MultiLayerNetwork net = TinyNets.net(LearnedUpdater.of(v).withTotalSteps(STEPS));
    assertEquals(1, LearnedUpdater.attach(net));
    TinyNets.GradientRecorder rec = new TinyNets.GradientRecorder();
    net.setListeners(rec);
    List<DataSet> data = TinyNets.data(STEPS);
    float[][] after = new float[STEPS][];
    for (int t = 0; t < STEPS; t++) {
      net.fit(data.get(t));
      after[t] = net.params().toFloatVector();
    }
    NetworkLayout layout = NetworkLayout.of(net);
    LearnedUpdate own = LearnedOptimizers.create(v.architecture(), v.hyperparameters())
        .create(v.theta(), layout.layout(), STEPS);
    float[] p = toMetaopt(rec.params.get(0), layout);
    for (int t = 0; t < STEPS; t++) {
      own.step(p, toMetaopt(rec.gradients.get(t), layout));
      float[] dl4j = toMetaopt(after[t], layout);
      double rel = relativeError(p, dl4j);
      assertTrue(rel <= 1e-6, file + ": step " + t + " differs from metaopt's by " + rel + " (relative)");
    }
    assertNotEquals(0.0, relativeError(rec.params.get(0), after[STEPS - 1]), "the parameters did not move");
  }

  @Test
  void aSavedAndRestoredModelContinuesExactlyAsAnUninterruptedRun(@TempDir Path dir) throws Exception {
    LearnedUpdater celo2 = LearnedUpdater.load(TinyNets.pretrained("celo2.json")).withTotalSteps(10);
    List<DataSet> data = TinyNets.data(10);
    MultiLayerNetwork net = TinyNets.net(celo2);
    LearnedUpdater.attach(net);
    for (int t = 0; t < 5; t++) {
      net.fit(data.get(t));
    }
    File file = dir.resolve("model.zip").toFile();
    ModelSerializer.writeModel(net, file, true);
    for (int t = 5; t < 10; t++) {
      net.fit(data.get(t));
    }
    MultiLayerNetwork restored = ModelSerializer.restoreMultiLayerNetwork(file, true);
    LearnedUpdater.attach(restored);
    for (int t = 5; t < 10; t++) {
      restored.fit(data.get(t));
    }
    assertArrayEquals(net.params().toFloatVector(), restored.params().toFloatVector());
    assertArrayEquals(net.getUpdater().getStateViewArray().toFloatVector(),
        restored.getUpdater().getStateViewArray().toFloatVector());
  }

  @Test
  void theConfigurationSurvivesDl4jsJsonRoundTripBeforeAndAfterAttaching() {
    LearnedUpdater celo2 = LearnedUpdater.load(TinyNets.pretrained("celo2.json")).withTotalSteps(500);
    MultiLayerConfiguration conf = TinyNets.conf(celo2, TinyNets.HIDDEN);
    MultiLayerConfiguration back = MultiLayerConfiguration.fromJson(conf.toJson());
    assertEquals(conf, back);
    assertEquals(celo2, ((BaseLayer) back.getConf(1).getLayer()).getIUpdater());
    MultiLayerNetwork net = new MultiLayerNetwork(conf);
    net.init();
    LearnedUpdater.attach(net);
    LearnedUpdater attached = (LearnedUpdater) ((BaseLayer) net.getLayerWiseConfigurations().getConf(0).getLayer())
        .getIUpdater();
    assertNotEquals(celo2, attached);
    assertEquals("0_W:6x5;0_b:5;1_W:5x3;1_b:3", attached.blockLayout() == null ? null
        : NetworkLayout.describe(attached.blockLayout()));
    MultiLayerConfiguration again = MultiLayerConfiguration.fromJson(net.getLayerWiseConfigurations().toJson());
    assertEquals(attached, ((BaseLayer) again.getConf(0).getLayer()).getIUpdater());
    assertEquals(500, attached.totalSteps());
    assertEquals("celo2", attached.architecture());
  }

  @Test
  void trainingWithoutAttachingFailsWithAMessageThatSaysHowToFixIt() {
    MultiLayerNetwork net = TinyNets.net(LearnedUpdater.load(TinyNets.pretrained("celo2.json")));
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> net.fit(TinyNets.data(1).get(0)));
    assertTrue(e.getMessage().contains("is not attached to this network: call LearnedUpdater.attach(net) after "
        + "net.init()"), e.getMessage());
  }

  @Test
  void aConfigurationAttachedToAnotherNetworkIsRejected() {
    MultiLayerNetwork first = TinyNets.net(LearnedUpdater.load(TinyNets.pretrained("celo2.json")));
    LearnedUpdater.attach(first);
    LearnedUpdater attached = (LearnedUpdater) ((BaseLayer) first.getLayerWiseConfigurations().getConf(0)
        .getLayer()).getIUpdater();
    MultiLayerNetwork other = new MultiLayerNetwork(TinyNets.conf(attached, TinyNets.HIDDEN + 2));
    other.init();
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> LearnedUpdater.attach(other));
    assertTrue(e.getMessage().contains("layout mismatch") || e.getMessage().contains("does not match"),
        e.getMessage());
  }

  @Test
  void attachingAnUninitializedNetworkOrOneWithoutLearnedUpdaterIsAClearError() {
    MultiLayerNetwork raw = new MultiLayerNetwork(TinyNets.conf(LearnedUpdater.load(TinyNets.pretrained(
        "celo2.json")), TinyNets.HIDDEN));
    assertTrue(assertThrows(IllegalStateException.class, () -> LearnedUpdater.attach(raw)).getMessage()
        .contains("call net.init() first"));
    MultiLayerNetwork adam = TinyNets.net(new org.nd4j.linalg.learning.config.Adam());
    assertTrue(assertThrows(IllegalStateException.class, () -> LearnedUpdater.attach(adam)).getMessage()
        .contains("no layer of this network uses a LearnedUpdater"));
  }

  private static float[] toMetaopt(float[] flat, NetworkLayout layout) {
    float[] out = new float[flat.length];
    for (int k = 0; k < out.length; k++) {
      out[k] = flat[layout.map() == null ? k : layout.map()[k]];
    }
    return out;
  }

  private static double relativeError(float[] a, float[] b) {
    double diff = 0;
    double norm = 0;
    for (int i = 0; i < a.length; i++) {
      diff += ((double) a[i] - b[i]) * ((double) a[i] - b[i]);
      norm += (double) b[i] * b[i];
    }
    return Math.sqrt(diff / Math.max(norm, 1e-30));
  }
}
