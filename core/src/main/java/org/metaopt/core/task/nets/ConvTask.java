package org.metaopt.core.task.nets;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.metaopt.core.UserError;
import org.metaopt.core.data.DataSplits;
import org.metaopt.core.kernel.Conv3x3;
import org.metaopt.core.kernel.MaxPool2x2;
import org.metaopt.core.tensor.ParamLayout;

/**
 * A small convolutional classifier for square single-channel images: per conv layer a 3x3 'same' convolution,
 * ReLU and 2x2 max-pooling, then ReLU dense hidden layers and a dense softmax cross-entropy head.
 *
 * <p>Tensors are {@code conv0_w [C0, 1, 3, 3]}, {@code conv0_b [C0]}, {@code conv1_w [C1, C0, 3, 3]}, ... then
 * the dense {@code w0, b0, ...} as in {@link MlpTask}, whose input is the last pooled map flattened as
 * {@code [C, h, h]}. Weights start N(0, 2/fanIn) (He) except the output layer's N(0, 1/fanIn); biases 0.
 * Gradients by hand-written backprop; the Hessian-vector product is the finite-difference one of
 * {@link AbstractClassifierTask}. Scratch buffers are sized for {@code batchSize} rows. Not thread-safe.
 */
public final class ConvTask extends AbstractClassifierTask {
  /** Channels of the single conv layer that {@link #ConvTask(String, DataSplits, int)} builds. */
  public static final int DEFAULT_CHANNELS = 8;

  private final int convLayers;
  private final int[] channels;
  private final int[] sides;
  private final int[] wOff;
  private final int[] bOff;
  private final float[][] conv;
  private final float[][] dConv;
  private final float[][] pooled;
  private final float[][] dPooled;
  private final int[][] argmax;
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
    this.convLayers = convChannels.length;
    this.channels = new int[convLayers + 1];
    this.sides = new int[convLayers + 1];
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
    ParamLayout.Builder b = ParamLayout.builder();
    this.wOff = new int[convLayers];
    this.bOff = new int[convLayers];
    this.conv = new float[convLayers][];
    this.dConv = new float[convLayers][];
    this.pooled = new float[convLayers][];
    this.dPooled = new float[convLayers][];
    this.argmax = new int[convLayers][];
    int off = 0;
    for (int l = 0; l < convLayers; l++) {
      int cin = channels[l];
      int cout = channels[l + 1];
      b.add("conv" + l + "_w", cout, cin, 3, 3);
      b.add("conv" + l + "_b", cout);
      wOff[l] = off;
      bOff[l] = off + cout * cin * 9;
      off = bOff[l] + cout;
      conv[l] = new float[batchSize * convSize(l)];
      dConv[l] = new float[batchSize * convSize(l)];
      pooled[l] = new float[batchSize * pooledSize(l)];
      dPooled[l] = new float[batchSize * pooledSize(l)];
      argmax[l] = new int[batchSize * pooledSize(l)];
    }
    int[] dims = new int[hidden.length + 2];
    dims[0] = pooledSize(convLayers - 1);
    for (int i = 0; i < hidden.length; i++) {
      if (hidden[i] < 1) {
        throw new UserError("task '" + name + "': hidden widths " + Arrays.toString(hidden) + " must be >= 1");
      }
      dims[i + 1] = hidden[i];
    }
    dims[hidden.length + 1] = numClasses;
    this.dense = new DenseStack(dims, Activation.RELU, batchSize, off, MlpTask.indexedNames(hidden.length + 1));
    dense.declare(b);
    this.layout = b.build();
  }

  /** Floats per example of conv layer {@code l}'s output, {@code C * s * s}. */
  private int convSize(int l) {
    return channels[l + 1] * sides[l] * sides[l];
  }

  /** Floats per example after pooling conv layer {@code l}, {@code C * (s/2)^2}. */
  private int pooledSize(int l) {
    return channels[l + 1] * sides[l + 1] * sides[l + 1];
  }

  @Override
  public ParamLayout layout() {
    return layout;
  }

  @Override
  public float[] initialParams(long seed) {
    float[] p = new float[layout.size()];
    SplittableRandom rng = new SplittableRandom(seed);
    for (int l = 0; l < convLayers; l++) {
      double std = Math.sqrt(2.0 / (channels[l] * 9));
      for (int i = wOff[l]; i < bOff[l]; i++) {
        p[i] = (float) (std * rng.nextGaussian());
      }
    }
    dense.init(p, rng);
    return p;
  }

  @Override
  protected double forward(float[] params, int rows) {
    for (int l = 0; l < convLayers; l++) {
      float[] in = l == 0 ? x : pooled[l - 1];
      int inSize = l == 0 ? numFeatures : pooledSize(l - 1);
      int cs = convSize(l);
      int ps = pooledSize(l);
      for (int r = 0; r < rows; r++) {
        Conv3x3.forward(in, r * inSize, channels[l], sides[l], params, wOff[l], params, bOff[l], channels[l + 1],
            conv[l], r * cs);
      }
      float[] c = conv[l];
      for (int i = 0; i < rows * cs; i++) {
        c[i] = Math.max(c[i], 0f);
      }
      for (int r = 0; r < rows; r++) {
        MaxPool2x2.forward(c, r * cs, channels[l + 1], sides[l], pooled[l], r * ps, argmax[l]);
      }
    }
    return dense.forward(params, pooled[convLayers - 1], y, rows);
  }

  @Override
  protected void backward(float[] params, int rows, float scale, float[] grad) {
    int last = convLayers - 1;
    dense.backward(params, pooled[last], y, rows, scale, grad, dPooled[last]);
    for (int l = last; l >= 0; l--) {
      float[] in = l == 0 ? x : pooled[l - 1];
      int inSize = l == 0 ? numFeatures : pooledSize(l - 1);
      int cs = convSize(l);
      int ps = pooledSize(l);
      float[] c = conv[l];
      float[] dc = dConv[l];
      for (int r = 0; r < rows; r++) {
        MaxPool2x2.backward(dPooled[l], r * ps, channels[l + 1], sides[l], argmax[l], dc, r * cs);
      }
      for (int i = 0; i < rows * cs; i++) {
        if (c[i] <= 0f) {
          dc[i] = 0f;
        }
      }
      for (int r = 0; r < rows; r++) {
        Conv3x3.backwardWeights(in, r * inSize, channels[l], sides[l], dc, r * cs, channels[l + 1], grad, wOff[l],
            grad, bOff[l]);
      }
      if (l > 0) {
        Arrays.fill(dPooled[l - 1], 0, rows * inSize, 0f);
        for (int r = 0; r < rows; r++) {
          Conv3x3.backwardInput(dc, r * cs, channels[l + 1], sides[l], params, wOff[l], channels[l], dPooled[l - 1],
              r * inSize);
        }
      }
    }
  }

  @Override
  protected float[] logits() {
    return dense.logits();
  }
}
