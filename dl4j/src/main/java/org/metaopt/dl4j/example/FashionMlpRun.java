package org.metaopt.dl4j.example;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.metaopt.core.data.DataSplits;
import org.metaopt.core.data.Dataset;
import org.metaopt.dl4j.LearnedUpdater;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The comparison behind {@code metaopt dl4j-example}: a Deeplearning4j MLP (784 → 128 ReLU → 10 softmax, Xavier
 * init, seed-fixed) trained with each of several updaters for a number of steps on minibatches drawn from shuffled
 * epochs of a train split, then scored on the whole train split (mean loss) and the test split (accuracy). The
 * networks train in lockstep — step s of every network, then step s + 1 — on the same batches, so that a shared,
 * busy machine slows them alike; only {@code net.fit(batch)} is timed, after a few warm-up steps on throwaway
 * networks. Stateless; each call owns its networks.
 */
public final class FashionMlpRun {
  /** Hidden width of the example network. */
  public static final int HIDDEN = 128;
  /** Warm-up steps on a throwaway network before timing (JIT, ND4J's first calls). */
  static final int WARMUP = 10;
  /** Rows per evaluation pass. */
  private static final int EVAL_CHUNK = 5000;

  private FashionMlpRun() {}

  /**
   * One run's figures, the fields of the JSON line.
   *
   * @param optimizer its label
   * @param steps training steps taken
   * @param trainLoss mean cross-entropy over the whole train split after the last step
   * @param testAccuracy accuracy on the test split after the last step
   * @param msPerStep mean wall time of one {@code fit} call
   */
  public record Result(String optimizer, int steps, double trainLoss, double testAccuracy, double msPerStep) {}

  /** The network's configuration with {@code updater} on every layer. */
  public static MultiLayerConfiguration mlp(int inputs, int classes, IUpdater updater, long seed) {
    return new NeuralNetConfiguration.Builder().seed(seed).weightInit(WeightInit.XAVIER).updater(updater).list()
        .layer(new DenseLayer.Builder().nIn(inputs).nOut(HIDDEN).activation(Activation.RELU).build())
        .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(HIDDEN).nOut(classes)
            .activation(Activation.SOFTMAX).build())
        .build();
  }

  /**
   * One optimizer of a comparison.
   *
   * @param label its name in the result
   * @param updater the DL4J updater ({@link LearnedUpdater}s are attached)
   * @param listeners watch its timed run (e.g. a {@code MetaoptListener}); may be empty
   */
  public record Contender(String label, IUpdater updater, List<TrainingListener> listeners) {}

  /**
   * Trains one MLP per contender, in lockstep, for {@code steps} minibatches of {@code batchSize}, and scores each;
   * results in the contenders' order.
   */
  public static List<Result> compare(List<Contender> contenders, DataSplits data, int steps, int batchSize,
      long seed) {
    Dataset train = data.train();
    List<MultiLayerNetwork> nets = new ArrayList<>();
    for (Contender c : contenders) {
      warmUp(c.updater(), train, batchSize, seed);
      MultiLayerNetwork net = network(c.updater(), train, seed);
      net.setListeners(c.listeners());
      nets.add(net);
    }
    long[] nanos = new long[nets.size()];
    int[] order = new int[train.size()];
    SplittableRandom rng = new SplittableRandom(seed);
    for (int s = 0, pos = order.length; s < steps; s++, pos += batchSize) {
      if (pos + batchSize > order.length) {
        shuffle(order, rng);
        pos = 0;
      }
      DataSet batch = batch(train, order, pos, batchSize);
      for (int i = 0; i < nets.size(); i++) {
        long t0 = System.nanoTime();
        nets.get(i).fit(batch);
        nanos[i] += System.nanoTime() - t0;
      }
    }
    List<Result> out = new ArrayList<>();
    for (int i = 0; i < nets.size(); i++) {
      double[] trainEval = evaluate(nets.get(i), train);
      double[] testEval = evaluate(nets.get(i), data.test() != null ? data.test() : train);
      out.add(new Result(contenders.get(i).label(), steps, trainEval[0], testEval[1],
          nanos[i] / 1e6 / Math.max(1, steps)));
    }
    return out;
  }

  private static MultiLayerNetwork network(IUpdater updater, Dataset train, long seed) {
    MultiLayerNetwork net = new MultiLayerNetwork(mlp(train.numFeatures(), train.numClasses(), updater, seed));
    net.init();
    if (updater instanceof LearnedUpdater) {
      LearnedUpdater.attach(net);
    }
    return net;
  }

  private static void warmUp(IUpdater updater, Dataset train, int batchSize, long seed) {
    MultiLayerNetwork net = network(updater, train, seed + 1);
    int[] order = new int[train.size()];
    shuffle(order, new SplittableRandom(seed + 1));
    for (int s = 0; s < WARMUP; s++) {
      net.fit(batch(train, order, (s * batchSize) % Math.max(1, order.length - batchSize), batchSize));
    }
  }

  /** A fresh permutation of {@code 0..n-1} into {@code order}. */
  private static void shuffle(int[] order, SplittableRandom rng) {
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    for (int i = order.length - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
  }

  private static DataSet batch(Dataset d, int[] order, int pos, int batchSize) {
    int rows = Math.min(batchSize, d.size());
    int f = d.numFeatures();
    float[] x = new float[rows * f];
    float[] y = new float[rows * d.numClasses()];
    for (int r = 0; r < rows; r++) {
      int row = order[(pos + r) % order.length];
      System.arraycopy(d.features(), row * f, x, r * f, f);
      y[r * d.numClasses() + d.labels()[row]] = 1f;
    }
    return new DataSet(Nd4j.createFromArray(x).reshape(rows, f),
        Nd4j.createFromArray(y).reshape(rows, d.numClasses()));
  }

  /** {mean loss, accuracy} over all of {@code d}. */
  static double[] evaluate(MultiLayerNetwork net, Dataset d) {
    int n = d.size();
    int f = d.numFeatures();
    int c = d.numClasses();
    double loss = 0;
    long correct = 0;
    for (int start = 0; start < n; start += EVAL_CHUNK) {
      int rows = Math.min(EVAL_CHUNK, n - start);
      float[] x = Arrays.copyOfRange(d.features(), start * f, (start + rows) * f);
      INDArray out = net.output(Nd4j.createFromArray(x).reshape(rows, f), false);
      float[] p = out.reshape(out.length()).toFloatVector();
      for (int r = 0; r < rows; r++) {
        int label = d.labels()[start + r];
        loss -= Math.log(Math.min(Math.max(p[r * c + label], 1e-10f), 1 - 1e-10f));
        int best = 0;
        for (int k = 1; k < c; k++) {
          best = p[r * c + k] > p[r * c + best] ? k : best;
        }
        correct += best == label ? 1 : 0;
      }
    }
    return new double[] {loss / n, (double) correct / n};
  }
}
