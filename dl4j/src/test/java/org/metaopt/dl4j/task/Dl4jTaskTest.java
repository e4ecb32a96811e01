package org.metaopt.dl4j.task;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.metaopt.core.optim.Adam;
import org.metaopt.core.spec.SpecException;
import org.metaopt.core.spec.SpecLoader;
import org.metaopt.core.spec.TaskFactory;
import org.metaopt.core.spec.TaskSpec;
import org.metaopt.core.task.Batch;
import org.metaopt.core.task.Evaluation;
import org.metaopt.core.task.Split;
import org.metaopt.core.task.Task;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** {@code family: dl4j}: found through the plug-in point, checked, and a task honouring metaopt's task contract. */
class Dl4jTaskTest {

  static MultiLayerConfiguration conf(int in, int hidden, double dropout) {
    DenseLayer.Builder dense = new DenseLayer.Builder().nIn(in).nOut(hidden).activation(Activation.TANH);
    if (dropout > 0) {
      dense.dropOut(dropout);
    }
    return new NeuralNetConfiguration.Builder().seed(1).list().layer(dense.build())
        .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(hidden).nOut(3)
            .activation(Activation.SOFTMAX).build())
        .build();
  }

  /** A suite file with one synthetic dl4j task whose network file sits next to it as {@code net.json}. */
  static Path suite(Path dir, MultiLayerConfiguration conf, String extra) throws Exception {
    Files.writeString(dir.resolve("net.json"), conf.toJson());
    Path suite = dir.resolve("suite.yaml");
    Files.writeString(suite, "name: dl4j-test\ntasks:\n  - name: tiny\n    family: dl4j\n    network: net.json\n"
        + "    dataset: synthetic\n    dim: 6\n    classes: 3\n    trainExamples: 64\n    validationExamples: 16\n"
        + "    testExamples: 32\n    batchSize: 16\n    steps: 20\n" + extra);
    return suite;
  }

  static Task task(Path dir) throws Exception {
    TaskSpec spec = SpecLoader.load(suite(dir, conf(6, 5, 0), "")).tasks().get(0);
    return new TaskFactory(null).create(spec);
  }

  @Test
  void aSpecNamingANetworkFileResolvesThroughThePlugInPoint(@TempDir Path dir) throws Exception {
    TaskSpec spec = SpecLoader.load(suite(dir, conf(6, 5, 0), "")).tasks().get(0);
    assertEquals("dl4j", spec.family());
    assertEquals(null, spec.familyEnum());
    assertEquals(dir.resolve("net.json").toAbsolutePath().normalize().toString(), spec.network());
    assertTrue(SpecLoader.canonicalJson(spec).contains("\"network\":"));
    Task t = new TaskFactory(null).create(spec);
    assertEquals(6 * 5 + 5 + 5 * 3 + 3, t.numParams());
    assertEquals("0_W", t.layout().tensors().get(0).name());
    assertArrayEquals(new int[] {6, 5}, t.layout().tensors().get(0).shape());
    assertArrayEquals(new int[] {5}, t.layout().tensors().get(1).shape());
  }

  @Test
  void theGradientMatchesFiniteDifferencesOfTheLoss(@TempDir Path dir) throws Exception {
    Task t = task(dir);
    float[] w = t.initialParams(3);
    Batch batch = t.sampleBatch(new SplittableRandom(2));
    float[] g = new float[w.length];
    double loss = t.lossAndGradient(w, batch, g);
    assertEquals(loss, t.loss(w, batch), 1e-5 * Math.abs(loss));
    double eps = 1e-2;
    for (int i = 0; i < w.length; i += 3) {
      float[] plus = w.clone();
      float[] minus = w.clone();
      plus[i] += (float) eps;
      minus[i] -= (float) eps;
      double fd = (t.loss(plus, batch) - t.loss(minus, batch)) / (2 * eps);
      assertEquals(fd, g[i], 2e-3 + 2e-2 * Math.abs(fd), "coordinate " + i);
    }
    float[] v = new float[w.length];
    v[0] = 1;
    float[] hv = new float[w.length];
    t.hessianVectorProduct(w, batch, v, hv);
    assertFalse(t.hasExactHessianVectorProduct());
    for (float x : hv) {
      assertTrue(Float.isFinite(x));
    }
  }

  @Test
  void initializationIsDeterministicPerSeedAndTrainingLowersTheLoss(@TempDir Path dir) throws Exception {
    Task t = task(dir);
    assertArrayEquals(t.initialParams(4), t.initialParams(4));
    assertFalse(java.util.Arrays.equals(t.initialParams(4), t.initialParams(5)));
    float[] w = t.initialParams(4);
    Evaluation before = t.evaluate(w, Split.TRAIN);
    Adam adam = new Adam(Adam.Config.defaults(0.02), w.length);
    float[] g = new float[w.length];
    SplittableRandom rng = new SplittableRandom(1);
    for (int s = 0; s < 150; s++) {
      t.lossAndGradient(w, t.sampleBatch(rng), g);
      adam.step(w, g);
    }
    Evaluation after = t.evaluate(w, Split.TRAIN);
    assertTrue(after.loss() < 0.8 * before.loss(), before + " -> " + after);
    assertTrue(after.accuracy() > 0.4, after.toString());
    assertTrue(t.hasSplit(Split.TEST));
  }

  @Test
  void badNetworksAreRejectedWithTheFieldAndTheFix(@TempDir Path dir) throws Exception {
    SpecException wrongInputs = assertThrows(SpecException.class, () -> SpecLoader.load(suite(dir, conf(7, 5, 0), "")));
    assertTrue(wrongInputs.getMessage().contains("tasks[0].network") && wrongInputs.getMessage().contains(
        "does not take rows of 6 features"), wrongInputs.getMessage());
    SpecException dropout = assertThrows(SpecException.class, () -> SpecLoader.load(suite(dir, conf(6, 5, 0.5), "")));
    assertTrue(dropout.getMessage().contains("dropout"), dropout.getMessage());
    SpecException hidden = assertThrows(SpecException.class,
        () -> SpecLoader.load(suite(dir, conf(6, 5, 0), "    hidden: [4]\n")));
    assertTrue(hidden.getMessage().contains("hidden = [4] does not apply to family dl4j"), hidden.getMessage());
    Files.writeString(dir.resolve("suite2.yaml"), "family: dl4j\ndataset: synthetic\ndim: 6\nclasses: 3\n");
    SpecException missing = assertThrows(SpecException.class, () -> SpecLoader.load(dir.resolve("suite2.yaml")));
    assertTrue(missing.getMessage().contains("network missing"), missing.getMessage());
    Files.writeString(dir.resolve("suite3.yaml"), "family: dl4j\nnetwork: nope.json\ndataset: synthetic\n");
    SpecException notFound = assertThrows(SpecException.class, () -> SpecLoader.load(dir.resolve("suite3.yaml")));
    assertTrue(notFound.getMessage().contains("file not found"), notFound.getMessage());
    Files.writeString(dir.resolve("suite4.yaml"), "family: mlp\nnetwork: net.json\ndataset: synthetic\n");
    SpecException builtIn = assertThrows(SpecException.class, () -> SpecLoader.load(dir.resolve("suite4.yaml")));
    assertTrue(builtIn.getMessage().contains("network = net.json does not apply to family mlp"),
        builtIn.getMessage());
  }
}
