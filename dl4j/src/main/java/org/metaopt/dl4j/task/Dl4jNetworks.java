package org.metaopt.dl4j.task;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.metaopt.core.spec.SpecException;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;

/**
 * Reads and checks the Deeplearning4j network of a {@code family: dl4j} task: a {@link MultiLayerConfiguration} JSON
 * file ({@code conf.toJson()}) whose network takes flat rows of the data set's features (for a conv net, give it
 * {@code setInputType(InputType.convolutionalFlat(h, w, 1))}) and ends in a softmax output layer with the MCXENT or
 * negative log-likelihood loss. Refused, because they break metaopt's task contract (a deterministic loss of one flat
 * parameter vector that only the optimizer changes): dropout, batch normalization, DL4J regularization (l1, l2, weight
 * decay: learned optimizers bring their own), loss weights, and non-float data types. The network's own updater is
 * ignored (metaopt's optimizers drive it). Stateless.
 */
final class Dl4jNetworks {
  private Dl4jNetworks() {}

  /**
   * Reads {@code file}.
   *
   * @throws SpecException naming {@code where} when it is missing or not a MultiLayerConfiguration
   */
  static String readJson(Path file, String where) {
    String json;
    try {
      json = Files.readString(file);
    } catch (NoSuchFileException e) {
      throw new SpecException(where + ".network = " + file + ": file not found (a path relative to the spec file; "
          + "write one with MultiLayerConfiguration.toJson(), examples in docs/examples/dl4j/)");
    } catch (IOException e) {
      throw new SpecException(where + ".network = " + file + ": cannot be read: " + e.getMessage());
    }
    parse(json, file, where);
    return json;
  }

  /** The configuration in {@code json}. */
  static MultiLayerConfiguration parse(String json, Path file, String where) {
    try {
      return MultiLayerConfiguration.fromJson(json);
    } catch (RuntimeException e) {
      String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse("");
      throw new SpecException(where + ".network = " + file + " is not a DL4J MultiLayerConfiguration JSON ("
          + why + "); write it with MultiLayerConfiguration.toJson()");
    }
  }

  /**
   * Checks that the network is one metaopt can train and that it maps {@code features} inputs to {@code classes}
   * probabilities (one trial forward pass).
   *
   * @throws SpecException naming {@code where}, the layer and how to fix it
   */
  static void check(MultiLayerConfiguration conf, int features, int classes, Path file, String where) {
    String at = where + ".network = " + file + ": ";
    if (conf.getDataType() != DataType.FLOAT) {
      throw new SpecException(at + "data type " + conf.getDataType() + " is not supported; use FLOAT");
    }
    List<NeuralNetConfiguration> layers = conf.getConfs();
    for (int i = 0; i < layers.size(); i++) {
      Layer l = layers.get(i).getLayer();
      String layer = "layer " + i + " (" + l.getClass().getSimpleName() + ")";
      if (l.getIDropout() != null) {
        throw new SpecException(at + layer + " has dropout, which makes the loss random; remove it");
      }
      if (l instanceof BatchNormalization) {
        throw new SpecException(at + layer + ": batch normalization keeps statistics outside the optimizer's "
            + "parameters; remove it");
      }
      if (l instanceof BaseLayer b && (!empty(b.getRegularization()) || !empty(b.getRegularizationBias()))) {
        throw new SpecException(at + layer + " has l1/l2/weight-decay regularization; remove it (the learned "
            + "optimizers' own weight decay applies instead)");
      }
    }
    Layer last = layers.get(layers.size() - 1).getLayer();
    if (!(last instanceof BaseOutputLayer head) || !(head.getActivationFn() instanceof ActivationSoftmax)
        || !(head.getLossFn() instanceof LossMCXENT loss) || loss.getWeights() != null) {
      throw new SpecException(at + "the last layer must be an OutputLayer with softmax activation and the MCXENT "
          + "or NEGATIVELOGLIKELIHOOD loss (no loss weights)");
    }
    MultiLayerNetwork net = new MultiLayerNetwork(conf.clone());
    INDArray out;
    try {
      net.init();
      out = net.output(Nd4j.zeros(DataType.FLOAT, 1, features), false);
    } catch (RuntimeException e) {
      throw new SpecException(at + "the network does not take rows of " + features + " features (the data set's): "
          + firstLine(e));
    }
    if (out.rank() != 2 || out.size(1) != classes) {
      throw new SpecException(at + "the network outputs " + java.util.Arrays.toString(out.shape()) + " for one row; "
          + "the data set has " + classes + " classes");
    }
  }

  private static boolean empty(List<?> xs) {
    return xs == null || xs.isEmpty();
  }

  private static String firstLine(Throwable e) {
    String m = e.getMessage();
    return m == null ? e.getClass().getSimpleName() : m.lines().findFirst().orElse("");
  }
}
