package org.metaopt.core.task.nets;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.metaopt.core.UserError;
import org.metaopt.core.data.DataSplits;
import org.metaopt.core.kernel.Gemm;
import org.metaopt.core.task.Batch;
import org.metaopt.core.tensor.ParamLayout;

/**
 * A multilayer-perceptron classifier, {@code numFeatures -> hidden... -> numClasses}, trained with softmax
 * cross-entropy (mean over the batch), with an exact Hessian-vector product by Pearlmutter's R-operator.
 *
 * <p>Tensors are {@code w0, b0, w1, b1, ...} with {@code w_l} of shape {@code [in, out]} (row-major) and
 * {@code b_l} of shape {@code [out]}. Weights start N(0, 2/fanIn) where a ReLU follows and N(0, 1/fanIn)
 * elsewhere; biases start at 0. Scratch buffers are sized for {@code batchSize} rows; larger batches run in
 * chunks, so no step allocates. Not thread-safe: one instance per thread (instances may share the data).
 */
public class MlpTask extends AbstractClassifierTask {
  private final DenseStack net;
  private final ParamLayout layout;

  /** An MLP with the given hidden widths (empty for none) and hidden activation. */
  public MlpTask(String name, DataSplits splits, int[] hidden, Activation act, int batchSize) {
    this(name, splits, hidden, act, batchSize, indexedNames(hidden.length + 1));
  }

  MlpTask(String name, DataSplits splits, int[] hidden, Activation act, int batchSize, String[] tensorNames) {
    super(name, splits, batchSize);
    if (act == null) {
      throw new UserError("task '" + name + "': an activation (relu, tanh or sigmoid) is required");
    }
    int[] dims = new int[hidden.length + 2];
    dims[0] = numFeatures;
    for (int i = 0; i < hidden.length; i++) {
      if (hidden[i] < 1) {
        throw new UserError("task '" + name + "': hidden width " + hidden[i] + " at position " + i
            + " in " + Arrays.toString(hidden) + " must be >= 1");
      }
      dims[i + 1] = hidden[i];
    }
    dims[hidden.length + 1] = numClasses;
    this.net = new DenseStack(dims, act, batchSize, 0, tensorNames);
    ParamLayout.Builder b = ParamLayout.builder();
    net.declare(b);
    this.layout = b.build();
  }

  /** {@code ["w0", "b0", "w1", "b1", ...]} for {@code layers} layers. */
  static String[] indexedNames(int layers) {
    String[] names = new String[2 * layers];
    for (int l = 0; l < layers; l++) {
      names[2 * l] = "w" + l;
      names[2 * l + 1] = "b" + l;
    }
    return names;
  }

  @Override
  public ParamLayout layout() {
    return layout;
  }

  @Override
  public float[] initialParams(long seed) {
    float[] p = new float[layout.size()];
    net.init(p, new SplittableRandom(seed));
    return p;
  }

  @Override
  protected double forward(float[] params, int rows) {
    return net.forward(params, x, y, rows);
  }

  @Override
  protected void backward(float[] params, int rows, float scale, float[] grad) {
    net.backward(params, x, y, rows, scale, grad, null);
  }

  /** The dense-product backend of this instance, for tests and benchmarks. */
  Gemm gemm() {
    return net.gemm();
  }

  @Override
  protected float[] logits() {
    return net.logits();
  }

  /** Exact {@code H v} of the mean batch loss by the R-operator (no finite differences). */
  @Override
  public void hessianVectorProduct(float[] params, Batch batch, float[] v, float[] out) {
    checkLength("params", params);
    checkLength("v", v);
    checkLength("out", out);
    Arrays.fill(out, 0f);
    int n = rowsOf(batch);
    float scale = 1f / n;
    for (int start = 0; start < n; start += batchSize) {
      int rows = gather(batch, start);
      net.forward(params, x, y, rows);
      net.hessianVectorProduct(params, v, x, y, rows, scale, out);
    }
  }

  @Override
  public boolean hasExactHessianVectorProduct() {
    return true;
  }
}
