package org.metaopt.core.lopt;

import org.metaopt.core.kernel.FastMathLoops;
import org.metaopt.core.kernel.Rows;
import org.metaopt.core.tensor.ParamLayout;

/**
 * {@link MlpLoptOptimizer}'s second pass: the features, the MLP and the step of a block of coordinates, stored
 * feature-major in rows of {@link MlpLoptOptimizer#BLOCK} ({@link Rows}). It keeps the network's weight rows packed
 * from θ ({@link #pack}, again whenever θ changes), folds the shared features (the step embedding, and the progress
 * features when on) into the first layer's bias once per step ({@link #beginStep}) and takes each tensor's feature
 * scales from the first pass's sums of squares ({@link #beginTensor}). With {@code simd} the block runs on
 * {@link MlpLoptSimd}, else on the plain loops here: the same bits.
 *
 * <p>Reads θ and the momenta in place (the optimizer's and its {@link MlpLoptMoments}' arrays); all scratch is
 * allocated at creation and a block does not allocate. Not thread-safe: one instance per optimizer.
 */
final class MlpLoptNetwork {
  private static final int BLOCK = MlpLoptOptimizer.BLOCK;

  private final float[] theta;
  private final int hidden;
  private final int layers;
  private final int[] wOff;
  private final int[] bOff;
  private final int outW;
  private final int outB;
  private final float expMult;
  private final int features;
  private final int perCoordinate;
  private final boolean progress;
  private final int totalSteps;
  /** The current tensor's step multiplier, also read by the SIMD kernels through {@link #net}. */
  private final float[] stepMult = new float[1];
  private final MlpLoptMoments moments;
  private final float[][][] momenta;
  private final float[][] second;
  /** {@code 1 / (sqrt(v̂) + 1e-8)} of the block's coordinates, for the Adam features. */
  private final float[] rinv = new float[BLOCK];
  private final float[] scale = new float[MlpLopt.NORMALIZED];
  private final float[] adamScale = new float[MlpLopt.ADAM_DECAYS.length];
  private float adamRsqrtScale;
  private final float[] bias0;
  /** Weight rows packed from θ per layer ({@code [layer][unit][input]}, per-coordinate inputs only for layer 0). */
  private final float[][][] wRows;
  private final float[][] outRows;
  private final float[][] x;
  private final float[][] a;
  private final float[][] b;
  private final float[][] out = new float[2][BLOCK];
  /** The SIMD kernels, or null when they are off ({@link org.metaopt.core.kernel.Simd}). */
  private final MlpLoptSimd simd;
  /** The arrays the SIMD kernel reads (the same objects as the fields above, filled in place). */
  private final MlpLoptSimd.Net net;

  /** {@code x}: the feature rows, {@code [perCoordinateFeatures][BLOCK]}, shared with {@code moments}. */
  MlpLoptNetwork(MlpLopt arch, float[] theta, int totalSteps, MlpLoptMoments moments, float[][] x, boolean simd) {
    this.theta = theta;
    this.hidden = arch.hidden();
    this.layers = arch.layers();
    ParamLayout meta = arch.metaLayout();
    this.wOff = new int[layers];
    this.bOff = new int[layers];
    for (int l = 0; l < layers; l++) {
      wOff[l] = meta.tensor("mlp" + l + ".weight").offset();
      bOff[l] = meta.tensor("mlp" + l + ".bias").offset();
    }
    this.outW = meta.tensor("out.weight").offset();
    this.outB = meta.tensor("out.bias").offset();
    this.expMult = arch.expMult();
    this.features = arch.features();
    this.perCoordinate = arch.perCoordinateFeatures();
    this.progress = arch.progressFeatures();
    this.totalSteps = Math.max(0, totalSteps);
    this.moments = moments;
    this.momenta = moments.momenta;
    this.second = moments.second;
    this.wRows = new float[layers][hidden][];
    for (int l = 0; l < layers; l++) {
      for (int j = 0; j < hidden; j++) {
        wRows[l][j] = new float[l == 0 ? perCoordinate : hidden];
      }
    }
    this.outRows = new float[2][hidden];
    pack();
    this.x = x;
    this.bias0 = new float[hidden];
    this.a = new float[hidden][BLOCK];
    this.b = new float[hidden][BLOCK];
    this.simd = simd ? new MlpLoptSimd(perCoordinate, hidden) : null;
    this.net = new MlpLoptSimd.Net(scale, MlpLopt.ADAM_DECAYS, adamScale, bias0, wRows, theta, bOff, outRows, outB,
        expMult, stepMult);
  }

  /** Copies the weight rows out of θ; call whenever θ changes. */
  void pack() {
    for (int l = 0; l < layers; l++) {
      int in = l == 0 ? features : hidden;
      for (int j = 0; j < hidden; j++) {
        System.arraycopy(theta, wOff[l] + j * in, wRows[l][j], 0, wRows[l][j].length);
      }
    }
    for (int j = 0; j < 2; j++) {
      System.arraycopy(theta, outW + j * hidden, outRows[j], 0, hidden);
    }
  }

  /** Before step {@code t}'s first tensor: the shared features into the first layer's bias, Adam's corrections. */
  void beginStep(long t) {
    foldStepEmbedding(t);
    if (second != null) { // Adam's bias corrections for step t + 1
      double n = t + 1;
      for (int k = 0; k < adamScale.length; k++) {
        adamScale[k] = (float) (1 / (1 - Math.pow(MlpLopt.DECAYS[MlpLopt.ADAM_DECAYS[k]], n)));
      }
      adamRsqrtScale = (float) (1 / (1 - Math.pow(MlpLopt.ADAM_BETA2, n)));
    }
  }

  /**
   * bias0 = mlp0.bias + mlp0.weight[:, shared] . (tanh(t / timescale - 1), and with the progress features
   * p = t / totalSteps and -ln(max(1 - p, 1 / totalSteps))).
   */
  private void foldStepEmbedding(long t) {
    final int in = features;
    final int first = perCoordinate;
    final double frac = totalSteps > 0 ? Math.min(1.0, t / (double) totalSteps) : 0.0;
    final double negLogRemaining = totalSteps > 0 ? -Math.log(Math.max(1 - frac, 1.0 / totalSteps)) : 0.0;
    for (int j = 0; j < hidden; j++) {
      double s = theta[bOff[0] + j];
      for (int e = 0; e < MlpLopt.TIMESCALES.length; e++) {
        s += theta[wOff[0] + j * in + first + e] * Math.tanh(t / (double) MlpLopt.TIMESCALES[e] - 1);
      }
      if (progress) {
        s += theta[wOff[0] + j * in + first + MlpLopt.TIMESCALES.length] * frac
            + theta[wOff[0] + j * in + first + MlpLopt.TIMESCALES.length + 1] * negLogRemaining;
      }
      bias0[j] = (float) s;
    }
  }

  /**
   * Before a tensor's blocks: its step multiplier and its feature scales {@code 1 / sqrt(1e-5 + sumSq / n)} from
   * the first pass's sums of squares over its {@code n} coordinates.
   */
  void beginTensor(float mult, double[] sumSq, int n) {
    stepMult[0] = mult;
    for (int f = 0; f < scale.length; f++) {
      scale[f] = (float) (1 / Math.sqrt(1e-5 + sumSq[f] / n));
    }
  }

  /**
   * Runs the MLP on parameters {@code [s, s + len)} of one tensor (block {@code blk}) and applies their steps.
   */
  void block(float[] params, float[] grad, int s, int len, int blk) {
    final float[][] x = this.x;
    if (simd != null) {
      final float[][] mb = moments.blockMomenta(blk);
      final float[] vb = second == null ? null : second[blk];
      final int full = len - len % MlpLoptSimd.LANES;
      simdBlock(grad, params, s, mb, vb, 0, full);
      if (full < len) {
        simdBlock(x[0], x[1], 0, mb, vb, full, MlpLoptOptimizer.tailChunk(x, params, grad, s, full, len));
        System.arraycopy(x[1], full, params, s + full, len - full);
      }
      return;
    }
    System.arraycopy(grad, s, x[0], 0, len);
    System.arraycopy(params, s, x[1], 0, len);
    scaleInPlace(x[0], scale[0], len);
    scaleInPlace(x[1], scale[1], len);
    for (int k = 0; k < momenta.length; k++) {
      final float[] m = momenta[k][blk];
      final float[] xk = x[2 + k];
      final float sk = scale[2 + k];
      for (int i = 0; i < len; i++) {
        xk[i] = m[i] * sk;
      }
    }
    if (second != null) { // m̂ / (sqrt(v̂) + 1e-8) from the raw momenta
      final float vs = adamRsqrtScale;
      final float[] v = second[blk];
      final float[] r = rinv;
      for (int i = 0; i < len; i++) {
        r[i] = 1f / ((float) Math.sqrt(v[i] * vs) + 1e-8f);
      }
      for (int k = 0; k < MlpLopt.ADAM_DECAYS.length; k++) {
        final float[] m = momenta[MlpLopt.ADAM_DECAYS[k]][blk];
        final float ms = adamScale[k];
        final float[] xk = x[MlpLopt.NORMALIZED + k];
        for (int i = 0; i < len; i++) {
          xk[i] = m[i] * ms * r[i];
        }
      }
    }
    for (int j = 0; j < hidden; j++) {
      Rows.row(x, wRows[0][j], bias0[j], a[j], len);
    }
    relu(a, len);
    float[][] cur = a;
    float[][] next = b;
    for (int l = 1; l < layers; l++) {
      for (int j = 0; j < hidden; j++) {
        Rows.row(cur, wRows[l][j], theta[bOff[l] + j], next[j], len);
      }
      relu(next, len);
      float[][] tmp = cur;
      cur = next;
      next = tmp;
    }
    Rows.row(cur, outRows[0], theta[outB], out[0], len);
    Rows.row(cur, outRows[1], theta[outB + 1], out[1], len);
    final float em = expMult;
    final float[] dir = out[0];
    final float[] mag = out[1];
    for (int i = 0; i < len; i++) {
      mag[i] = Math.max(-60f, Math.min(60f, mag[i] * em));
    }
    FastMathLoops.exp(mag, mag, rinv, len);
    final float sm = stepMult[0];
    final float[] p = x[1]; // params, reloaded unscaled
    System.arraycopy(params, s, p, 0, len);
    for (int i = 0; i < len; i++) {
      p[i] -= dir[i] * mag[i] * sm;
    }
    System.arraycopy(p, 0, params, s, len);
  }

  /** The SIMD pass 2 over chunks {@code [from, to)} of a block, with the shape-specific kernel when there is one. */
  private void simdBlock(float[] g, float[] p, int off, float[][] mb, float[] vb, int from, int to) {
    if (hidden == MlpLoptSimd.UNITS4 && layers == 1 && vb != null) {
      simd.block4(g, p, off, mb, vb, net, adamRsqrtScale, from, to);
    } else {
      simd.block(g, p, off, mb, vb, net, adamRsqrtScale, from, to);
    }
  }


  private static void relu(float[][] rows, int len) {
    for (float[] v : rows) {
      for (int i = 0; i < len; i++) {
        v[i] = Math.max(0f, v[i]);
      }
    }
  }

  private static void scaleInPlace(float[] v, float c, int len) {
    for (int i = 0; i < len; i++) {
      v[i] *= c;
    }
  }
}
