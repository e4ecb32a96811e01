package org.metaopt.dl4j;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** Small networks, data and recorders for the dl4j tests. */
final class TinyNets {
  static final int IN = 6;
  static final int HIDDEN = 5;
  static final int OUT = 3;

  private TinyNets() {}

  /** The shipped version files, from the module directory the tests run in. */
  static Path pretrained(String file) {
    return Path.of("..", "pretrained", file);
  }

  /** A 2-layer classifier IN-HIDDEN-OUT (tanh, softmax) with {@code updater}. */
  static MultiLayerConfiguration conf(IUpdater updater, int hidden) {
    return new NeuralNetConfiguration.Builder().seed(7).updater(updater).list()
        .layer(new DenseLayer.Builder().nIn(IN).nOut(hidden).activation(Activation.TANH).build())
        .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(hidden).nOut(OUT)
            .activation(Activation.SOFTMAX).build())
        .build();
  }

  static MultiLayerNetwork net(IUpdater updater) {
    MultiLayerNetwork net = new MultiLayerNetwork(conf(updater, HIDDEN));
    net.init();
    return net;
  }

  /** {@code batches} fixed minibatches of 8 examples. */
  static List<DataSet> data(int batches) {
    SplittableRandom rng = new SplittableRandom(3);
    List<DataSet> out = new ArrayList<>();
    for (int b = 0; b < batches; b++) {
      float[][] x = new float[8][IN];
      float[][] y = new float[8][OUT];
      for (int i = 0; i < 8; i++) {
        for (int j = 0; j < IN; j++) {
          x[i][j] = (float) rng.nextGaussian();
        }
        y[i][rng.nextInt(OUT)] = 1;
      }
      out.add(new DataSet(Nd4j.create(x), Nd4j.create(y)));
    }
    return out;
  }

  /** Records, per step, the parameters before the update and the minibatch-mean gradient DL4J hands the updater. */
  static final class GradientRecorder extends BaseTrainingListener {
    final List<float[]> params = new ArrayList<>();
    final List<float[]> gradients = new ArrayList<>();

    @Override
    public void onGradientCalculation(Model model) {
      params.add(model.params().dup().toFloatVector());
      INDArray g = model.gradient().gradient().dup();
      gradients.add(g.divi(model.batchSize()).toFloatVector());
    }
  }
}
