package org.metaopt.core.task.nets;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.metaopt.core.kernel.DenseOps;
import org.metaopt.core.kernel.Gemm;
import org.metaopt.core.kernel.SoftmaxCrossEntropy;
import org.metaopt.core.tensor.ParamLayout;

/**
 * Fully connected layers {@code dims[0] -> ... -> dims[L]} with a hidden activation and a softmax cross-entropy
 * head, over a slice of a flat parameter vector: forward, backward and Pearlmutter's R-operator (exact
 * Hessian-vector product), for up to {@code capacity} rows at a time.
 *
 * <p>Layer {@code l} has weight {@code names[2l]} of shape {@code [dims[l], dims[l+1]]} (row-major, so the
 * forward pass is an axpy per input) and bias {@code names[2l+1]} of shape {@code [dims[l+1]]}, laid out back to
 * back from {@code offset}. Products run through a {@link Gemm} ({@link Gemm#fastest}: the Vector API kernel
 * when the JVM has it). Owns its scratch buffers (the R-operator's on first use): one thread only.
 */
final class DenseStack {
  private final int[] dims;
  private final int layers;
  private final Activation act;
  private final int capacity;
  private final String[] names;
  private final int[] wOff;
  private final int[] bOff;
  private final int end;
  private final float[][] z;
  private final float[][] a;
  private final float[][] dz;
  private final float[][] da;
  private final float[] probs;
  private final float[] softmaxScratch;
  private final Gemm gemm;
  private float[][] rz;
  private float[][] ra;
  private float[][] rdz;
  private float[] rda;

  DenseStack(int[] dims, Activation act, int capacity, int offset, String[] names) {
    if (dims.length < 2 || names.length != 2 * (dims.length - 1)) {
      throw new IllegalArgumentException("need >= 2 dims and two tensor names per layer, got dims "
          + Arrays.toString(dims) + " and names " + Arrays.toString(names));
    }
    this.dims = dims.clone();
    this.layers = dims.length - 1;
    this.act = act;
    this.capacity = capacity;
    this.names = names.clone();
    this.wOff = new int[layers];
    this.bOff = new int[layers];
    int off = offset;
    for (int l = 0; l < layers; l++) {
      wOff[l] = off;
      off += dims[l] * dims[l + 1];
      bOff[l] = off;
      off += dims[l + 1];
    }
    this.end = off;
    this.z = new float[layers][];
    this.dz = new float[layers][];
    this.a = new float[layers - 1][];
    this.da = new float[layers - 1][];
    for (int l = 0; l < layers; l++) {
      z[l] = new float[capacity * dims[l + 1]];
      dz[l] = new float[capacity * dims[l + 1]];
      if (l < layers - 1) {
        a[l] = new float[capacity * dims[l + 1]];
        da[l] = new float[capacity * dims[l + 1]];
      }
    }
    this.probs = new float[capacity * dims[layers]];
    this.softmaxScratch = new float[capacity * dims[layers]];
    this.gemm = Gemm.fastest();
  }

  /** Adds this stack's tensors, in order, to a layout whose next offset is this stack's {@code offset}. */
  void declare(ParamLayout.Builder b) {
    for (int l = 0; l < layers; l++) {
      b.add(names[2 * l], dims[l], dims[l + 1]);
      b.add(names[2 * l + 1], dims[l + 1]);
    }
  }

  /** One past this stack's last parameter. */
  int end() {
    return end;
  }

  /** Weights N(0, 2/fanIn) into a ReLU (He), N(0, 1/fanIn) otherwise (including the output layer); biases 0. */
  void init(float[] params, SplittableRandom rng) {
    for (int l = 0; l < layers; l++) {
      double gain = l < layers - 1 && act == Activation.RELU ? 2.0 : 1.0;
      double std = Math.sqrt(gain / dims[l]);
      for (int i = wOff[l]; i < bOff[l]; i++) {
        params[i] = (float) (std * rng.nextGaussian());
      }
      Arrays.fill(params, bOff[l], bOff[l] + dims[l + 1], 0f);
    }
  }

  /** The product backend, for tests. */
  Gemm gemm() {
    return gemm;
  }

  float[] logits() {
    return z[layers - 1];
  }

  /** Summed cross-entropy of {@code rows} rows of input {@code x} ({@code [rows, dims[0]]}); keeps activations. */
  double forward(float[] p, float[] x, int[] y, int rows) {
    for (int l = 0; l < layers; l++) {
      DenseOps.broadcastRows(z[l], rows, dims[l + 1], p, bOff[l]);
      gemm.addMatmul(input(l, x), rows, dims[l], p, wOff[l], dims[l + 1], z[l]);
      if (l < layers - 1) {
        act.apply(z[l], a[l], rows * dims[l + 1]);
      }
    }
    return SoftmaxCrossEntropy.forward(z[layers - 1], rows, dims[layers], y, probs, softmaxScratch);
  }

  /**
   * After {@link #forward}: {@code grad += scale * d(loss)/d(params)} (skipped when {@code grad} is null) and,
   * when {@code dx} is not null, {@code dx = scale * d(loss)/dx} (overwritten).
   */
  void backward(float[] p, float[] x, int[] y, int rows, float scale, float[] grad, float[] dx) {
    SoftmaxCrossEntropy.gradient(probs, rows, dims[layers], y, scale, dz[layers - 1]);
    for (int l = layers - 1; l >= 0; l--) {
      if (grad != null) {
        gemm.addOuterProducts(input(l, x), rows, dims[l], dz[l], dims[l + 1], grad, wOff[l]);
        DenseOps.addColumnSums(dz[l], rows, dims[l + 1], grad, bOff[l]);
      }
      if (l > 0) {
        int n = rows * dims[l];
        Arrays.fill(da[l - 1], 0, n, 0f);
        gemm.addMatmulTransposed(dz[l], rows, dims[l + 1], p, wOff[l], dims[l], da[l - 1]);
        System.arraycopy(da[l - 1], 0, dz[l - 1], 0, n);
        act.multiplyByDerivative(z[l - 1], a[l - 1], dz[l - 1], n);
      } else if (dx != null) {
        Arrays.fill(dx, 0, rows * dims[0], 0f);
        gemm.addMatmulTransposed(dz[0], rows, dims[1], p, wOff[0], dims[0], dx);
      }
    }
  }

  /**
   * After {@link #forward}: {@code out += scale * H v} for the summed chunk loss, by the R-operator: an R-forward
   * pass of pre-activations and activations, the softmax cross-entropy Hessian on the logits, and an R-backward
   * pass of deltas including the activation's second derivative. {@code v} is laid out like the parameters.
   */
  void hessianVectorProduct(float[] p, float[] v, float[] x, int[] y, int rows, float scale, float[] out) {
    hessianVectorProduct(p, v, x, null, y, rows, scale, out, null, null);
  }

  /**
   * As {@link #hessianVectorProduct(float[], float[], float[], int[], int, float, float[])} for an input that
   * itself depends on the parameters (the pooled maps of a conv net): {@code rx} is its directional derivative
   * {@code R{x}} along {@code v} ({@code [rows, dims[0]]}, null for a constant input). When not null, {@code dx}
   * receives {@code scale * d(loss)/dx} and {@code rdx} its directional derivative {@code R{dx}} (both
   * overwritten), which the layers below continue the R-backward pass from.
   */
  void hessianVectorProduct(float[] p, float[] v, float[] x, float[] rx, int[] y, int rows, float scale,
      float[] out, float[] dx, float[] rdx) {
    ensureRBuffers();
    backward(p, x, y, rows, scale, null, dx);
    rForward(p, v, x, rx, rows);
    SoftmaxCrossEntropy.hessianTimes(probs, rows, dims[layers], rz[layers - 1], scale, rdz[layers - 1]);
    rBackward(p, v, x, rx, rows, out, rdx);
  }

  /** R-forward: {@code rz[l] = v_b + input_l v_W + R{input_l} W}, {@code ra[l] = act'(z[l]) rz[l]}. */
  private void rForward(float[] p, float[] v, float[] x, float[] rx, int rows) {
    for (int l = 0; l < layers; l++) {
      DenseOps.broadcastRows(rz[l], rows, dims[l + 1], v, bOff[l]);
      gemm.addMatmul(input(l, x), rows, dims[l], v, wOff[l], dims[l + 1], rz[l]);
      float[] rin = l == 0 ? rx : ra[l - 1];
      if (rin != null) {
        gemm.addMatmul(rin, rows, dims[l], p, wOff[l], dims[l + 1], rz[l]);
      }
      if (l < layers - 1) {
        int n = rows * dims[l + 1];
        for (int i = 0; i < n; i++) {
          ra[l][i] = act.derivative(z[l][i]) * rz[l][i];
        }
      }
    }
  }

  /** R-backward from {@code rdz[layers - 1]}: accumulates {@code R{grad}} into {@code out}, and {@code R{dx}}. */
  private void rBackward(float[] p, float[] v, float[] x, float[] rx, int rows, float[] out, float[] rdx) {
    for (int l = layers - 1; l >= 0; l--) {
      gemm.addOuterProducts(input(l, x), rows, dims[l], rdz[l], dims[l + 1], out, wOff[l]);
      DenseOps.addColumnSums(rdz[l], rows, dims[l + 1], out, bOff[l]);
      float[] rin = l == 0 ? rx : ra[l - 1];
      if (rin != null) {
        gemm.addOuterProducts(rin, rows, dims[l], dz[l], dims[l + 1], out, wOff[l]);
      }
      if (l > 0) {
        int n = rows * dims[l];
        Arrays.fill(rda, 0, n, 0f);
        gemm.addMatmulTransposed(rdz[l], rows, dims[l + 1], p, wOff[l], dims[l], rda);
        gemm.addMatmulTransposed(dz[l], rows, dims[l + 1], v, wOff[l], dims[l], rda);
        float[] zl = z[l - 1];
        for (int i = 0; i < n; i++) {
          rdz[l - 1][i] = rda[i] * act.derivative(zl[i]) + da[l - 1][i] * act.secondDerivative(zl[i]) * rz[l - 1][i];
        }
      } else if (rdx != null) {
        Arrays.fill(rdx, 0, rows * dims[0], 0f);
        gemm.addMatmulTransposed(rdz[0], rows, dims[1], p, wOff[0], dims[0], rdx);
        gemm.addMatmulTransposed(dz[0], rows, dims[1], v, wOff[0], dims[0], rdx);
      }
    }
  }

  private float[] input(int l, float[] x) {
    return l == 0 ? x : a[l - 1];
  }

  private void ensureRBuffers() {
    if (rz != null) {
      return;
    }
    rz = new float[layers][];
    rdz = new float[layers][];
    ra = new float[layers - 1][];
    int widest = 1;
    for (int l = 0; l < layers; l++) {
      rz[l] = new float[capacity * dims[l + 1]];
      rdz[l] = new float[capacity * dims[l + 1]];
      if (l < layers - 1) {
        ra[l] = new float[capacity * dims[l + 1]];
        widest = Math.max(widest, dims[l + 1]);
      }
    }
    rda = new float[capacity * widest];
  }
}
