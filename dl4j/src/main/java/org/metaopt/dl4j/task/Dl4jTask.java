package org.metaopt.dl4j.task;

import java.util.Arrays;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.metaopt.core.data.DataSplits;
import org.metaopt.core.task.Batch;
import org.metaopt.core.task.FiniteDifferences;
import org.metaopt.core.task.nets.AbstractClassifierTask;
import org.metaopt.core.tensor.ParamLayout;
import org.metaopt.dl4j.NdArrays;
import org.metaopt.dl4j.NetworkLayout;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;

/**
 * A {@code family: dl4j} task: a Deeplearning4j network (from its MultiLayerConfiguration) trained as a softmax
 * classifier on metaopt's data splits. Parameters are the network's, in metaopt's layout ({@link NetworkLayout}:
 * layer-indexed tensors, weights row-major); loss and gradient come from the network's own forward and backward
 * pass ({@code computeGradientAndScore}), the mean loss over the batch; the Hessian-vector product is central finite
 * differences of two such gradients (relative step {@value #HVP_STEP}), not exact. Initial parameters are the
 * network's own initialization with the seed as DL4J's seed.
 *
 * <p>Not thread-safe (one network and scratch per instance): one task per thread, as every task.
 */
final class Dl4jTask extends AbstractClassifierTask {
  /** Relative step of the finite-difference Hessian-vector product. */
  static final double HVP_STEP = 1e-3;

  private final MultiLayerConfiguration conf;
  private final MultiLayerNetwork net;
  private final NetworkLayout layout;
  private final INDArray flatParams;
  private final INDArray flatGradient;
  private final float clipEps;
  private final float[] scratch;
  private final float[] g;
  private final float[] probs;

  Dl4jTask(String name, DataSplits splits, int batchSize, MultiLayerConfiguration conf) {
    super(name, splits, batchSize);
    this.conf = conf.clone();
    this.net = new MultiLayerNetwork(this.conf.clone());
    net.init();
    this.layout = NetworkLayout.of(net);
    this.flatParams = net.params().reshape(net.params().length());
    net.initGradientsView();
    this.flatGradient = net.getFlattenedGradients().reshape(net.getFlattenedGradients().length());
    LossMCXENT loss = (LossMCXENT) ((org.deeplearning4j.nn.conf.layers.BaseOutputLayer) conf.getConf(
        conf.getConfs().size() - 1).getLayer()).getLossFn();
    this.clipEps = (float) loss.getSoftmaxClipEps();
    this.scratch = new float[layout.size()];
    this.g = new float[layout.size()];
    this.probs = new float[batchSize * numClasses];
  }

  @Override
  public ParamLayout layout() {
    return layout.layout();
  }

  @Override
  public float[] initialParams(long seed) {
    MultiLayerConfiguration c = conf.clone();
    for (NeuralNetConfiguration layerConf : c.getConfs()) {
      layerConf.setSeed(seed);
    }
    MultiLayerNetwork fresh = new MultiLayerNetwork(c);
    fresh.init();
    float[] out = new float[layout.size()];
    NdArrays.gather(fresh.params().reshape(fresh.params().length()), layout.map(), new float[out.length], out,
        "initial parameters");
    return out;
  }

  @Override
  public double lossAndGradient(float[] params, Batch batch, float[] grad) {
    checkLength("params", params);
    checkLength("grad", grad);
    Arrays.fill(grad, 0f);
    int n = rowsOf(batch);
    float scale = 1f / n;
    setParams(params);
    double sum = 0;
    for (int start = 0; start < n; start += batchSize) {
      int rows = gather(batch, start);
      sum += gradientOfChunk(rows) * rows;
      addGradient(scale, grad);
    }
    return sum / n;
  }

  @Override
  protected double forward(float[] params, int rows) {
    setParams(params);
    INDArray out = net.output(features(rows), false);
    NdArrays.read(out.reshape(out.length()), probs, rows * numClasses, "output");
    double sum = 0;
    for (int r = 0; r < rows; r++) {
      float p = Math.min(Math.max(probs[r * numClasses + y[r]], clipEps), 1 - clipEps);
      sum -= Math.log(p);
    }
    return sum;
  }

  @Override
  protected void backward(float[] params, int rows, float scale, float[] grad) {
    setParams(params);
    gradientOfChunk(rows);
    addGradient(scale, grad);
  }

  @Override
  protected float[] logits() {
    return probs; // softmax probabilities: the same arg-max as the logits
  }

  @Override
  public void hessianVectorProduct(float[] params, Batch batch, float[] v, float[] out) {
    FiniteDifferences.hessianVectorProduct(this, params, batch, v, out, HVP_STEP);
  }

  @Override
  public boolean hasExactHessianVectorProduct() {
    return false;
  }

  private void setParams(float[] params) {
    NdArrays.scatter(params, layout.map(), scratch, flatParams, "parameters");
  }

  /** Forward and backward pass over the gathered chunk; returns its mean loss (the network's score). */
  private double gradientOfChunk(int rows) {
    net.setInput(features(rows));
    net.setLabels(labels(rows));
    net.computeGradientAndScore();
    return net.score();
  }

  /** {@code grad += scale *} the network's gradient of the chunk's summed loss (DL4J does not divide by rows). */
  private void addGradient(float scale, float[] grad) {
    NdArrays.gather(flatGradient, layout.map(), scratch, g, "gradient");
    for (int k = 0; k < g.length; k++) {
      grad[k] += scale * g[k];
    }
  }

  private INDArray features(int rows) {
    return Nd4j.createFromArray(Arrays.copyOf(x, rows * numFeatures)).reshape(rows, numFeatures);
  }

  private INDArray labels(int rows) {
    float[] oneHot = new float[rows * numClasses];
    for (int r = 0; r < rows; r++) {
      oneHot[r * numClasses + y[r]] = 1f;
    }
    return Nd4j.createFromArray(oneHot).reshape(rows, numClasses);
  }
}
