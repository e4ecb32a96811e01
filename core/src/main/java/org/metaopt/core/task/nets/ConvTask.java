package org.metaopt.core.task.nets;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.metaopt.core.UserError;
import org.metaopt.core.data.DataSplits;
import org.metaopt.core.kernel.MaxPool2x2;
import org.metaopt.core.task.Batch;
import org.metaopt.core.tensor.ParamLayout;

/**
 * A small convolutional classifier for square single-channel images: per conv layer a 3x3 'same' convolution,
 * ReLU and 2x2 max-pooling, then ReLU dense hidden layers and a dense softmax cross-entropy head.
 *
 * <p>Tensors are {@code conv0_w [C0, 1, 3, 3]}, {@code conv0_b [C0]}, {@code conv1_w [C1, C0, 3, 3]}, ... then
 * the dense {@code w0, b0, ...} as in {@link MlpTask}, whose input is the last pooled map flattened as
 * {@code [C, h, h]}. Weights start N(0, 2/fanIn) (He) except the output layer's N(0, 1/fanIn); biases 0.
 * Gradients by hand-written backprop; the Hessian-vector product is exact, by Pearlmutter's R-operator through
 * the conv layers ({@link ConvStack}) and the dense head ({@link DenseStack}). Scratch buffers are sized for
 * {@code batchSize} rows, so no step allocates (the R-operator's buffers are made on first use). Not thread-safe.
 */
public final class ConvTask extends AbstractClassifierTask {
  /** Channels of the single conv layer that {@link #ConvTask(String, DataSplits, int)} builds. */
  public static final int DEFAULT_CHANNELS = 8;

  private final ConvStack convs;
  private final DenseStack dense;
  private final ParamLayout layout;

  /** One conv layer of {@link #DEFAULT_CHANNELS} channels straight into the softmax layer. */
  public ConvTask(String name, DataSplits splits, int batchSize) {
    this(name, splits, new int[] {DEFAULT_CHANNELS}, new int[0], batchSize);
  }

  /** Conv layers with the given channel counts (e.g. {@code [8, 16]}), then dense ReLU layers of {@code hidden}. */
  public ConvTask(String name, DataSplits splits, int[] convChannels, int[] hidden, int batchSize) {
    super(name, splits, batchSize);
    int side = (int) Math.round(Math.sqrt(numFeatures));
    if (side * side != numFeatures) {
      throw new UserError("task '" + name + "': " + numFeatures + " features are not a square image; "
          + "a conv task needs side*side features");
    }
    if (convChannels.length == 0) {
      throw new UserError("task '" + name + "': at least one conv layer is required (use MlpTask otherwise)");
    }
    int convLayers = convChannels.length;
    int[] channels = new int[convLayers + 1];
    int[] sides = new int[convLayers + 1];
    channels[0] = 1;
    sides[0] = side;
    for (int l = 0; l < convLayers; l++) {
      if (convChannels[l] < 1) {
        throw new UserError("task '" + name + "': conv channels " + Arrays.toString(convChannels) + " must be >= 1");
      }
      if (sides[l] < 2) {
        throw new UserError("task '" + name + "': conv layer " + l + " sees a " + sides[l] + "x" + sides[l]
            + " map, too small to pool; use fewer conv layers than " + convLayers + " for " + side + "x" + side
            + " images");
      }
      channels[l + 1] = convChannels[l];
      sides[l + 1] = MaxPool2x2.outSize(sides[l]);
    }
    this.convs = new ConvStack(channels, sides, batchSize);
    int[] dims = new int[hidden.length + 2];
    dims[0] = convs.outputSize();
    for (int i = 0; i < hidden.length; i++) {
      if (hidden[i] < 1) {
        throw new UserError("task '" + name + "': hidden widths " + Arrays.toString(hidden) + " must be >= 1");
      }
      dims[i + 1] = hidden[i];
    }
    dims[hidden.length + 1] = numClasses;
    this.dense = new DenseStack(dims, Activation.RELU, batchSize, convs.end(), MlpTask.indexedNames(hidden.length + 1));
    ParamLayout.Builder b = ParamLayout.builder();
    convs.declare(b);
    dense.declare(b);
    this.layout = b.build();
  }

  @Override
  public ParamLayout layout() {
    return layout;
  }

  @Override
  public float[] initialParams(long seed) {
    float[] p = new float[layout.size()];
    SplittableRandom rng = new SplittableRandom(seed);
    convs.init(p, rng);
    dense.init(p, rng);
    return p;
  }

  @Override
  protected double forward(float[] params, int rows) {
    return dense.forward(params, convs.forward(params, x, rows), y, rows);
  }

  @Override
  protected void backward(float[] params, int rows, float scale, float[] grad) {
    dense.backward(params, convs.output(), y, rows, scale, grad, convs.outputGradient());
    convs.backward(params, x, rows, grad);
  }

  @Override
  protected float[] logits() {
    return dense.logits();
  }

  /**
   * Exact {@code H v} of the mean batch loss by the R-operator, in the chunks and with the {@code 1/n} scaling of
   * {@link #lossAndGradient}: forward, R-forward through the conv layers, the dense head's backward and R-passes
   * (which hand back the gradient and its R-derivative w.r.t. the pooled maps), then the conv R-backward.
   */
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
      float[] h = convs.forward(params, x, rows);
      dense.forward(params, h, y, rows);
      float[] rh = convs.rForward(params, v, x, rows);
      dense.hessianVectorProduct(params, v, h, rh, y, rows, scale, out, convs.outputGradient(),
          convs.rOutputGradient());
      convs.rBackward(params, v, x, rows, out);
    }
  }

  @Override
  public boolean hasExactHessianVectorProduct() {
    return true;
  }
}
