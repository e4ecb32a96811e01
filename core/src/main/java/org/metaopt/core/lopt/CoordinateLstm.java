package org.metaopt.core.lopt;

import org.metaopt.core.kernel.FastMathLoops;

import org.metaopt.core.kernel.FastMath;

import org.metaopt.core.kernel.Rows;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.metaopt.core.tensor.ParamLayout;

/**
 * A two-layer LSTM applied to every coordinate independently with shared weights (the coordinatewise network of
 * L2O-DM and RNNprop), evaluated over blocks of coordinates stored feature-major.
 *
 * <p>θ blocks (names under {@code prefix}): {@code lstm1.weight[4H, I + H]}, {@code lstm1.bias[4H]},
 * {@code lstm2.weight[4H, 2H]}, {@code lstm2.bias[4H]}; rows are gates in the order input {@code i}, forget
 * {@code f}, cell {@code g}, output {@code o} (PyTorch's order), columns are the layer input then the layer's
 * previous {@code h}. Cell: {@code c = sigmoid(f) c + sigmoid(i) tanh(g); h = sigmoid(o) tanh(c)} with the
 * {@link FastMath} approximations; no implicit forget bias (Sonnet's +1 is folded into the initial θ).
 * Per-coordinate state h, c of both layers lives in four flat arrays of {@code n * H} floats; the block that
 * starts at coordinate {@code s} with {@code len} coordinates keeps unit {@code j} of coordinate
 * {@code s + b} at {@code s * H + j * len + b}. Zero initial state. Each layer copies its block's inputs and state
 * into row arrays and computes the gates with {@link Rows} and {@link FastMathLoops}, loop shapes C2 vectorizes
 * (docs/benchmarks.md); the weight rows are packed from θ, so call {@link #pack} whenever θ changes. Not
 * thread-safe.
 */
final class CoordinateLstm {
  private final float[] theta;
  private final int in;
  private final int hidden;
  private final int w1;
  private final int b1;
  private final int w2;
  private final int b2;
  private final float[] h1;
  private final float[] c1;
  private final float[] h2;
  private final float[] c2;
  /** Gate inputs of each layer: its input rows, then its previous h rows. */
  private final float[][] gateIn1;
  private final float[][] gateIn2;
  /** Pre-activations, then activations, of the 4H gate rows. */
  private final float[][] z;
  /** The block's new cell state c of the unit being updated. */
  private final float[] cRow;
  /** tanh(c), then the unit's new h = sigmoid(o) tanh(c). */
  private final float[] tanhC;
  private final float[][] packed1;
  private final float[][] packed2;
  private final float[] mid;
  /** The top layer's h for the last block, feature-major with stride {@link #block}. */
  final float[] top;
  private final int block;

  CoordinateLstm(float[] theta, ParamLayout meta, int in, int hidden, int size, int block) {
    this.theta = theta;
    this.in = in;
    this.hidden = hidden;
    this.w1 = meta.tensor("lstm1.weight").offset();
    this.b1 = meta.tensor("lstm1.bias").offset();
    this.w2 = meta.tensor("lstm2.weight").offset();
    this.b2 = meta.tensor("lstm2.bias").offset();
    long stateSize = (long) size * hidden;
    if (stateSize > Integer.MAX_VALUE - 16) {
      throw new IllegalArgumentException("LSTM state for " + size + " parameters x " + hidden
          + " units exceeds one Java array; use a smaller hidden size");
    }
    this.h1 = new float[(int) stateSize];
    this.c1 = new float[(int) stateSize];
    this.h2 = new float[(int) stateSize];
    this.c2 = new float[(int) stateSize];
    this.block = block;
    this.gateIn1 = new float[in + hidden][block];
    this.gateIn2 = new float[2 * hidden][block];
    this.z = new float[4 * hidden][block];
    this.cRow = new float[block];
    this.tanhC = new float[block];
    this.packed1 = new float[4 * hidden][in + hidden];
    this.packed2 = new float[4 * hidden][2 * hidden];
    pack();
    this.mid = new float[hidden * block];
    this.top = new float[hidden * block];
  }

  /** Adds the two layers' blocks to a meta-layout. */
  static ParamLayout.Builder addTo(ParamLayout.Builder b, int in, int hidden) {
    return b.add("lstm1.weight", 4 * hidden, in + hidden).add("lstm1.bias", 4 * hidden)
        .add("lstm2.weight", 4 * hidden, 2 * hidden).add("lstm2.bias", 4 * hidden);
  }

  /**
   * Initial weights of one layer: Sonnet-style truncated normals ({@code std = 1/sqrt(fanIn)}), forget biases
   * +1, except unit 0, which passes {@code sum_k gains[k] * input[cols[k]]} through: its input and output gates
   * are open (bias +5), its forget gate closed (bias -5), and its gate rows read only those inputs.
   */
  static void initLayer(float[] theta, int wOff, int bOff, int hidden, int fanIn, SplittableRandom rng, int[] cols,
      float[] gains) {
    Init.truncatedNormal(theta, wOff, 4 * hidden * fanIn, 1 / Math.sqrt(fanIn), rng);
    for (int gate = 0; gate < 4; gate++) {
      Arrays.fill(theta, wOff + gate * hidden * fanIn, wOff + (gate * hidden + 1) * fanIn, 0f);
      for (int j = 0; j < hidden; j++) {
        theta[bOff + gate * hidden + j] = gate == 1 ? 1f : 0f;
      }
    }
    for (int k = 0; k < cols.length; k++) {
      theta[wOff + 2 * hidden * fanIn + cols[k]] = gains[k];
    }
    theta[bOff] = 5f;
    theta[bOff + hidden] = -5f;
    theta[bOff + 3 * hidden] = 5f;
  }

  /** Runs both layers on coordinates {@code [s, s + len)} with inputs {@code x[k * block + b]}; sets {@link #top}. */
  void forward(float[] x, int s, int len) {
    layer(x, in, gateIn1, packed1, b1, h1, c1, s, len, mid);
    layer(mid, hidden, gateIn2, packed2, b2, h2, c2, s, len, top);
  }

  /** Copies the weight rows of both layers out of θ; call whenever θ changes. */
  void pack() {
    for (int r = 0; r < 4 * hidden; r++) {
      System.arraycopy(theta, w1 + r * (in + hidden), packed1[r], 0, in + hidden);
      System.arraycopy(theta, w2 + r * 2 * hidden, packed2[r], 0, 2 * hidden);
    }
  }

  private void layer(float[] input, int inRows, float[][] in, float[][] packed, int bOff, float[] hs, float[] cs,
      int s, int len, float[] out) {
    final int bs = block;
    final int hid = hidden;
    final int base = s * hid;
    for (int k = 0; k < inRows; k++) {
      System.arraycopy(input, k * bs, in[k], 0, len);
    }
    for (int j = 0; j < hid; j++) {
      System.arraycopy(hs, base + j * len, in[inRows + j], 0, len);
    }
    for (int r = 0; r < 4 * hid; r++) {
      Rows.row(in, packed[r], theta[bOff + r], z[r], len);
      if (r >= 2 * hid && r < 3 * hid) {
        FastMathLoops.tanh(z[r], len);
      } else {
        FastMathLoops.sigmoid(z[r], len);
      }
    }
    for (int j = 0; j < hid; j++) {
      final float[] zi = z[j];
      final float[] zf = z[hid + j];
      final float[] zg = z[2 * hid + j];
      final float[] zo = z[3 * hid + j];
      final float[] c = cRow;
      final float[] tc = tanhC;
      final int st = base + j * len;
      System.arraycopy(cs, st, c, 0, len);
      for (int b = 0; b < len; b++) {
        c[b] = (zf[b] * c[b] + zi[b] * zg[b] + FastMath.FLUSH) - FastMath.FLUSH;
        tc[b] = c[b];
      }
      FastMathLoops.tanh(tc, len);
      for (int b = 0; b < len; b++) {
        tc[b] = (zo[b] * tc[b] + FastMath.FLUSH) - FastMath.FLUSH;
      }
      System.arraycopy(c, 0, cs, st, len);
      System.arraycopy(tc, 0, hs, st, len);
      System.arraycopy(tc, 0, out, j * bs, len);
    }
  }

  /** The per-coordinate state (h and c of both layers), for {@link StateArrays}. */
  float[][] stateArrays() {
    return new float[][] {h1, c1, h2, c2};
  }

  void reset() {
    Arrays.fill(h1, 0f);
    Arrays.fill(c1, 0f);
    Arrays.fill(h2, 0f);
    Arrays.fill(c2, 0f);
  }
}
