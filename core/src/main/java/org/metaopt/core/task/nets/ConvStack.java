package org.metaopt.core.task.nets;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.metaopt.core.kernel.Conv3x3;
import org.metaopt.core.kernel.MaxPool2x2;
import org.metaopt.core.tensor.ParamLayout;

/**
 * The convolutional layers of a {@link ConvTask}: per layer a 3x3 'same' convolution, ReLU and 2x2 max-pooling,
 * over the start of a flat parameter vector, with forward, backward and Pearlmutter's R-operator (the conv part of
 * an exact Hessian-vector product), for up to {@code capacity} examples at a time.
 *
 * <p>Layer {@code l} has weight {@code conv<l>_w [C_{l+1}, C_l, 3, 3]} and bias {@code conv<l>_b [C_{l+1}]}, back
 * to back from offset 0. ReLU and max-pooling are piecewise linear, so the R-pass reuses the forward pass's ReLU
 * mask and pooling arg-max and no second-derivative term arises below the dense head. Owns its scratch buffers
 * (the R-operator's on first use): one thread only.
 */
final class ConvStack {
  private final int layers;
  private final int[] channels;
  private final int[] sides;
  private final int[] wOff;
  private final int[] bOff;
  private final int end;
  private final int capacity;
  /** Per layer: ReLU output (in place of the pre-activation), its delta, pooled map, its delta, pooling arg-max. */
  private final float[][] conv;
  private final float[][] dConv;
  private final float[][] pooled;
  private final float[][] dPooled;
  private final int[][] argmax;
  /** R-operator buffers: directional derivatives of the five above, allocated on first use. */
  private float[][] rConv;
  private float[][] rdConv;
  private float[][] rPooled;
  private float[][] rdPooled;

  /**
   * {@code channels[0]} input channels of side {@code sides[0]}; layer {@code l} maps {@code channels[l]} to
   * {@code channels[l + 1]} channels and side {@code sides[l]} to {@code sides[l + 1] = sides[l] / 2} (validated
   * by the caller).
   */
  ConvStack(int[] channels, int[] sides, int capacity) {
    this.layers = channels.length - 1;
    this.channels = channels.clone();
    this.sides = sides.clone();
    this.capacity = capacity;
    this.wOff = new int[layers];
    this.bOff = new int[layers];
    this.conv = new float[layers][];
    this.dConv = new float[layers][];
    this.pooled = new float[layers][];
    this.dPooled = new float[layers][];
    this.argmax = new int[layers][];
    int off = 0;
    for (int l = 0; l < layers; l++) {
      wOff[l] = off;
      bOff[l] = off + channels[l + 1] * channels[l] * 9;
      off = bOff[l] + channels[l + 1];
      conv[l] = new float[capacity * convSize(l)];
      dConv[l] = new float[capacity * convSize(l)];
      pooled[l] = new float[capacity * pooledSize(l)];
      dPooled[l] = new float[capacity * pooledSize(l)];
      argmax[l] = new int[capacity * pooledSize(l)];
    }
    this.end = off;
  }

  /** Adds this stack's tensors, in order, to an empty layout builder. */
  void declare(ParamLayout.Builder b) {
    for (int l = 0; l < layers; l++) {
      b.add("conv" + l + "_w", channels[l + 1], channels[l], 3, 3);
      b.add("conv" + l + "_b", channels[l + 1]);
    }
  }

  /** One past this stack's last parameter. */
  int end() {
    return end;
  }

  /** Floats per example of the last pooled map, the dense head's input. */
  int outputSize() {
    return pooledSize(layers - 1);
  }

  /** Weights N(0, 2/fanIn) (He); biases are left as they are (0 in a fresh vector). */
  void init(float[] params, SplittableRandom rng) {
    for (int l = 0; l < layers; l++) {
      double std = Math.sqrt(2.0 / (channels[l] * 9));
      for (int i = wOff[l]; i < bOff[l]; i++) {
        params[i] = (float) (std * rng.nextGaussian());
      }
    }
  }

  /** Runs {@code rows} examples of {@code x}; returns the last pooled map {@code [rows, outputSize()]}. */
  float[] forward(float[] p, float[] x, int rows) {
    for (int l = 0; l < layers; l++) {
      float[] in = input(l, x);
      int inSize = inputSize(l);
      int cs = convSize(l);
      int ps = pooledSize(l);
      for (int r = 0; r < rows; r++) {
        Conv3x3.forward(in, r * inSize, channels[l], sides[l], p, wOff[l], p, bOff[l], channels[l + 1], conv[l],
            r * cs);
      }
      float[] c = conv[l];
      for (int i = 0; i < rows * cs; i++) {
        c[i] = Math.max(c[i], 0f);
      }
      for (int r = 0; r < rows; r++) {
        MaxPool2x2.forward(c, r * cs, channels[l + 1], sides[l], pooled[l], r * ps, argmax[l]);
      }
    }
    return pooled[layers - 1];
  }

  /** The output of the last {@link #forward}, {@code [rows, outputSize()]}. */
  float[] output() {
    return pooled[layers - 1];
  }

  /** Where the layer above writes the loss gradient w.r.t. the output of {@link #forward}. */
  float[] outputGradient() {
    return dPooled[layers - 1];
  }

  /** After {@link #forward} and a filled {@link #outputGradient()}: {@code grad +=} the parameter gradient. */
  void backward(float[] p, float[] x, int rows, float[] grad) {
    for (int l = layers - 1; l >= 0; l--) {
      float[] in = input(l, x);
      int inSize = inputSize(l);
      int cs = convSize(l);
      routeBack(l, dPooled[l], dConv[l], rows);
      for (int r = 0; r < rows; r++) {
        Conv3x3.backwardWeights(in, r * inSize, channels[l], sides[l], dConv[l], r * cs, channels[l + 1], grad,
            wOff[l], grad, bOff[l]);
      }
      if (l > 0) {
        Arrays.fill(dPooled[l - 1], 0, rows * inSize, 0f);
        for (int r = 0; r < rows; r++) {
          Conv3x3.backwardInput(dConv[l], r * cs, channels[l + 1], sides[l], p, wOff[l], channels[l],
              dPooled[l - 1], r * inSize);
        }
      }
    }
  }

  /**
   * After {@link #forward}: the R-forward pass along {@code v}, {@code R{conv_l} = conv(in_l, v_w) + v_b +
   * conv(R{in_l}, w)} masked by the ReLU and gathered at the pooling arg-max; returns {@code R} of the output.
   */
  float[] rForward(float[] p, float[] v, float[] x, int rows) {
    ensureRBuffers();
    for (int l = 0; l < layers; l++) {
      float[] in = input(l, x);
      int inSize = inputSize(l);
      int cs = convSize(l);
      int ps = pooledSize(l);
      float[] rc = rConv[l];
      for (int r = 0; r < rows; r++) {
        Conv3x3.forward(in, r * inSize, channels[l], sides[l], v, wOff[l], v, bOff[l], channels[l + 1], rc, r * cs);
        if (l > 0) {
          Conv3x3.addForward(rPooled[l - 1], r * inSize, channels[l], sides[l], p, wOff[l], channels[l + 1], rc,
              r * cs);
        }
      }
      float[] c = conv[l];
      for (int i = 0; i < rows * cs; i++) {
        if (c[i] <= 0f) {
          rc[i] = 0f;
        }
      }
      for (int r = 0; r < rows; r++) {
        MaxPool2x2.gather(rc, r * cs, channels[l + 1], sides[l], argmax[l], rPooled[l], r * ps);
      }
    }
    return rPooled[layers - 1];
  }

  /** Where the layer above writes {@code R} of the loss gradient w.r.t. the output (after {@link #rForward}). */
  float[] rOutputGradient() {
    ensureRBuffers();
    return rdPooled[layers - 1];
  }

  /**
   * After {@link #rForward} and filled {@link #outputGradient()} and {@link #rOutputGradient()}: the backward and
   * R-backward passes together, {@code out +=} the conv parameters' part of {@code H v}: per layer
   * {@code corr(in, R{delta}) + corr(R{in}, delta)} for the weights and the plane sums of {@code R{delta}} for the
   * biases, then {@code R{d in} = conv^T(R{delta}, w) + conv^T(delta, v_w)} for the layer below.
   */
  void rBackward(float[] p, float[] v, float[] x, int rows, float[] out) {
    for (int l = layers - 1; l >= 0; l--) {
      float[] in = input(l, x);
      int inSize = inputSize(l);
      int cs = convSize(l);
      int cin = channels[l];
      int cout = channels[l + 1];
      int s = sides[l];
      routeBack(l, dPooled[l], dConv[l], rows);
      routeBack(l, rdPooled[l], rdConv[l], rows);
      for (int r = 0; r < rows; r++) {
        Conv3x3.backwardWeights(in, r * inSize, cin, s, rdConv[l], r * cs, cout, out, wOff[l], out, bOff[l]);
        if (l > 0) {
          Conv3x3.backwardKernel(rPooled[l - 1], r * inSize, cin, s, dConv[l], r * cs, cout, out, wOff[l]);
        }
      }
      if (l > 0) {
        Arrays.fill(dPooled[l - 1], 0, rows * inSize, 0f);
        Arrays.fill(rdPooled[l - 1], 0, rows * inSize, 0f);
        for (int r = 0; r < rows; r++) {
          Conv3x3.backwardInput(dConv[l], r * cs, cout, s, p, wOff[l], cin, dPooled[l - 1], r * inSize);
          Conv3x3.backwardInput(rdConv[l], r * cs, cout, s, p, wOff[l], cin, rdPooled[l - 1], r * inSize);
          Conv3x3.backwardInput(dConv[l], r * cs, cout, s, v, wOff[l], cin, rdPooled[l - 1], r * inSize);
        }
      }
    }
  }

  /** {@code dc} = {@code dp} routed back through layer {@code l}'s pooling arg-max, zeroed where the ReLU was off. */
  private void routeBack(int l, float[] dp, float[] dc, int rows) {
    int cs = convSize(l);
    int ps = pooledSize(l);
    for (int r = 0; r < rows; r++) {
      MaxPool2x2.backward(dp, r * ps, channels[l + 1], sides[l], argmax[l], dc, r * cs);
    }
    float[] c = conv[l];
    for (int i = 0; i < rows * cs; i++) {
      if (c[i] <= 0f) {
        dc[i] = 0f;
      }
    }
  }

  private float[] input(int l, float[] x) {
    return l == 0 ? x : pooled[l - 1];
  }

  private int inputSize(int l) {
    return l == 0 ? channels[0] * sides[0] * sides[0] : pooledSize(l - 1);
  }

  /** Floats per example of conv layer {@code l}'s output, {@code C * s * s}. */
  private int convSize(int l) {
    return channels[l + 1] * sides[l] * sides[l];
  }

  /** Floats per example after pooling conv layer {@code l}, {@code C * (s/2)^2}. */
  private int pooledSize(int l) {
    return channels[l + 1] * sides[l + 1] * sides[l + 1];
  }

  private void ensureRBuffers() {
    if (rConv != null) {
      return;
    }
    rConv = new float[layers][];
    rdConv = new float[layers][];
    rPooled = new float[layers][];
    rdPooled = new float[layers][];
    for (int l = 0; l < layers; l++) {
      rConv[l] = new float[capacity * convSize(l)];
      rdConv[l] = new float[capacity * convSize(l)];
      rPooled[l] = new float[capacity * pooledSize(l)];
      rdPooled[l] = new float[capacity * pooledSize(l)];
    }
  }
}
