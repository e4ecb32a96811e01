package org.metaopt.core.lopt;

import org.metaopt.core.kernel.FastMathLoops;

import org.metaopt.core.kernel.FastMath;

import org.metaopt.core.kernel.Simd;

import org.metaopt.core.kernel.Rows;

import java.util.Arrays;
import java.util.List;
import org.metaopt.core.tensor.ParamLayout;
import org.metaopt.core.tensor.TensorSpec;

/**
 * The optimizer an {@link MlpLopt} θ defines. Per step and tensor: a first pass updates the six momenta (and the
 * Adam second moment) and sums the squares the per-tensor normalization needs; a second pass builds the features
 * and runs the MLP over blocks of {@link #BLOCK} coordinates stored feature-major ({@link Rows}). The shared
 * features (the 11-timescale step embedding, and the progress features when on) are the same for every parameter,
 * so their contribution to the first layer is folded into its bias once per step. Momenta and second moment are
 * flushed to 0 below 2^-124 ({@link FastMath#FLUSH}).
 *
 * <p>Layout for speed: C2 (JDK 17) vectorizes a loop only when all its arrays are indexed alike; one that mixes
 * {@code a[s + i]} with {@code b[i]} stays scalar (measured 0.70 ns per element either way against 0.25 ns
 * vectorized). So the optimizer's own state is stored per block ({@code momenta[k][block][i]}), every loop runs
 * over {@code i} within a block, and only the caller's flat {@code params} and {@code grad} are copied in and out
 * of block rows with {@link System#arraycopy}.
 *
 * <p>With {@link Simd#ENABLED} both passes run on {@link MlpLoptSimd} instead of the loops below: the same bits,
 * one chunk of {@link MlpLoptSimd#LANES} coordinates through features and network at a time. The loops below stay
 * the fallback and the reference the SIMD tests compare against.
 *
 * <p>All state and scratch are allocated at creation; a step does not allocate. Not thread-safe: one instance
 * per optimizee run.
 */
final class MlpLoptOptimizer implements LearnedUpdate {
  static final int BLOCK = 1024;

  private final float[] theta;
  private final int hidden;
  private final int layers;
  private final int[] wOff;
  private final int[] bOff;
  private final int outW;
  private final int outB;
  private final float expMult;
  /** The step multiplier of each task tensor ({@link MlpLopt#stepMult(TensorSpec)}). */
  private final float[] tensorStepMult;
  /** The current tensor's, also read by the SIMD kernels through {@link #net}. */
  private final float[] stepMult = new float[1];
  private final List<TensorSpec> tensors;
  private final int size;
  /** {@code momenta[k][b][i]}: momentum at decay k of coordinate i of block b. */
  private final float[][][] momenta;
  /** Second moment (decay {@link MlpLopt#ADAM_BETA2}) for the Adam features, per block; null without them. */
  private final float[][] second;
  /** Index of each tensor's first block; blocks never span tensors. */
  private final int[] firstBlock;
  private final int features;
  private final int perCoordinate;
  private final boolean progress;
  private final int totalSteps;
  private final double[] sumSq = new double[MlpLopt.NORMALIZED];
  /** Per-lane partial sums of squares of the normalized features over the current tensor. */
  private final float[][] laneSq = new float[MlpLopt.NORMALIZED][BLOCK];
  /** The gradient with non-finite entries replaced by 0, used only when the incoming one has such entries. */
  private final float[] clean;
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
  /** The SIMD kernels, or null when they are off ({@link Simd}); both paths compute the same bits. */
  private final MlpLoptSimd simd;
  /** The arrays the SIMD kernel reads (the same objects as the fields above, filled in place). */
  private final MlpLoptSimd.Net net;
  /** This block's momentum rows, {@code momenta[k][b]}, gathered for the SIMD kernels. */
  private final float[][] blockMomenta = new float[MlpLopt.DECAYS.length][];
  private long t;

  MlpLoptOptimizer(MlpLopt arch, float[] theta, ParamLayout taskLayout, int totalSteps) {
    this(arch, theta, taskLayout, totalSteps, Simd.ENABLED);
  }

  /** As above, choosing the kernels: {@code simd} needs {@link Simd#moduleAvailable()} (tests compare both). */
  MlpLoptOptimizer(MlpLopt arch, float[] theta, ParamLayout taskLayout, int totalSteps, boolean simd) {
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
    this.tensors = taskLayout.tensors();
    this.tensorStepMult = new float[tensors.size()];
    for (int k = 0; k < tensors.size(); k++) {
      tensorStepMult[k] = arch.stepMult(tensors.get(k));
    }
    this.size = taskLayout.size();
    this.firstBlock = new int[tensors.size()];
    int blocks = 0;
    for (int k = 0; k < tensors.size(); k++) {
      firstBlock[k] = blocks;
      blocks += (tensors.get(k).size() + BLOCK - 1) / BLOCK;
    }
    this.momenta = new float[MlpLopt.DECAYS.length][blocks][BLOCK];
    this.second = arch.adamFeatures() ? new float[blocks][BLOCK] : null;
    this.clean = new float[size];
    this.features = arch.features();
    this.perCoordinate = arch.perCoordinateFeatures();
    this.progress = arch.progressFeatures();
    this.totalSteps = Math.max(0, totalSteps);
    this.wRows = new float[layers][hidden][];
    for (int l = 0; l < layers; l++) {
      for (int j = 0; j < hidden; j++) {
        wRows[l][j] = new float[l == 0 ? perCoordinate : hidden];
      }
    }
    this.outRows = new float[2][hidden];
    pack();
    this.x = new float[perCoordinate][BLOCK];
    this.bias0 = new float[hidden];
    this.a = new float[hidden][BLOCK];
    this.b = new float[hidden][BLOCK];
    this.simd = simd ? new MlpLoptSimd(perCoordinate, hidden) : null;
    this.net = new MlpLoptSimd.Net(scale, MlpLopt.ADAM_DECAYS, adamScale, bias0, wRows, theta, bOff, outRows, outB,
        expMult, stepMult);
  }

  @Override
  public void setMetaParams(float[] newTheta) {
    Hyper.checkTheta(MlpLopt.ARCHITECTURE, newTheta, theta.length);
    System.arraycopy(newTheta, 0, theta, 0, theta.length);
    pack();
  }

  /** Copies the weight rows out of θ; call whenever θ changes. */
  private void pack() {
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

  @Override
  public void step(float[] params, float[] grad) {
    LoptChecks.sizes(MlpLopt.ARCHITECTURE, size, params, grad);
    final float[] g = finiteGradient(grad);
    foldStepEmbedding();
    if (second != null) { // Adam's bias corrections for step t + 1
      double n = t + 1;
      for (int k = 0; k < adamScale.length; k++) {
        adamScale[k] = (float) (1 / (1 - Math.pow(MlpLopt.DECAYS[MlpLopt.ADAM_DECAYS[k]], n)));
      }
      adamRsqrtScale = (float) (1 / (1 - Math.pow(MlpLopt.ADAM_BETA2, n)));
    }
    for (int k = 0; k < tensors.size(); k++) {
      TensorSpec tensor = tensors.get(k);
      int start = tensor.offset();
      int end = tensor.end();
      stepMult[0] = tensorStepMult[k];
      updateMomentaAndMoments(params, g, start, end, firstBlock[k]);
      int n = end - start;
      for (int f = 0; f < scale.length; f++) {
        scale[f] = (float) (1 / Math.sqrt(1e-5 + sumSq[f] / n));
      }
      for (int s = start, b = firstBlock[k]; s < end; s += BLOCK, b++) {
        block(params, g, s, Math.min(BLOCK, end - s), b);
      }
    }
    t++;
  }

  /**
   * bias0 = mlp0.bias + mlp0.weight[:, shared] . (tanh(t / timescale - 1), and with the progress features
   * p = t / totalSteps and -ln(max(1 - p, 1 / totalSteps))).
   */
  private void foldStepEmbedding() {
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
   * The gradient itself when every entry is finite (one multiply-add pass: {@code g * 0} is 0 for finite
   * {@code g} and NaN otherwise), else a copy with non-finite entries replaced by 0 (the NaN policy of every
   * learned optimizer), so the per-coordinate loops need no test and stay vectorizable.
   */
  private float[] finiteGradient(float[] grad) {
    if (simd != null ? MlpLoptSimd.allFinite(grad) : allFinite(grad)) {
      return grad;
    }
    for (int k = 0; k < grad.length; k++) {
      clean[k] = FastMath.finiteOrZero(grad[k]);
    }
    return clean;
  }

  private static boolean allFinite(float[] grad) {
    float a0 = 0;
    float a1 = 0;
    float a2 = 0;
    float a3 = 0;
    int i = 0;
    for (; i + 4 <= grad.length; i += 4) {
      a0 += grad[i] * 0f;
      a1 += grad[i + 1] * 0f;
      a2 += grad[i + 2] * 0f;
      a3 += grad[i + 3] * 0f;
    }
    for (; i < grad.length; i++) {
      a0 += grad[i] * 0f;
    }
    return a0 + a1 + a2 + a3 == 0f;
  }

  /**
   * Updates the six momenta and the second moment of one tensor and its sums of squares of g, p and the new
   * momenta. The sums are kept per lane in float ({@link #laneSq}, vectorized) and added up in double at the end;
   * if a float lane overflows (gradients beyond ~1e17), the tensor's sums are recomputed in double.
   */
  private void updateMomentaAndMoments(float[] params, float[] grad, int start, int end, int block0) {
    // The SIMD kernel stores the lane sums on a tensor's first block (every lane read below) and adds on the others;
    // the plain loops add, onto lanes cleared here. A fill of the touched lanes before each tensor was ~5% of
    // mlp-lopt-h4's meta-training.
    if (simd == null) {
      for (float[] l : laneSq) {
        Arrays.fill(l, 0, Math.min(BLOCK, end - start), 0f);
      }
    }
    for (int s = start, b = block0; s < end; s += BLOCK, b++) {
      momentaBlock(params, grad, s, Math.min(BLOCK, end - s), b, b == block0);
    }
    // each sum adds its lanes in lane order; lanes at or beyond the tensor's size are not read
    final double[] sums = sumSq;
    Rows.laneSums(laneSq, Math.min(BLOCK, end - start), sums);
    boolean finite = true;
    for (double sum : sums) {
      finite &= Double.isFinite(sum);
    }
    if (!finite) {
      sumsInDouble(params, grad, start, end, block0);
    }
  }

  /** Momenta, second moment and lane sums of coordinates {@code [s, s + len)}, block {@code b}. */
  private void momentaBlock(float[] params, float[] grad, int s, int len, int b, boolean first) {
    final float[][] x = this.x;
    if (simd != null) {
      final float[][] mb = blockMomenta(b);
      final float[] vb = second == null ? null : second[b];
      final int full = len - len % MlpLoptSimd.LANES;
      MlpLoptSimd.momenta(grad, params, s, mb, vb, MlpLopt.DECAYS, MlpLopt.ADAM_BETA2, laneSq, 0, full, first);
      if (full < len) {
        MlpLoptSimd.momenta(x[0], x[1], 0, mb, vb, MlpLopt.DECAYS, MlpLopt.ADAM_BETA2, laneSq, full,
            tailChunk(params, grad, s, full, len), first);
      }
      return;
    }
    System.arraycopy(grad, s, x[0], 0, len);
    System.arraycopy(params, s, x[1], 0, len);
    final float[] g = x[0];
    final float[] p = x[1];
    final float[] lg = laneSq[0];
    final float[] lp = laneSq[1];
    for (int i = 0; i < len; i++) {
      lg[i] += g[i] * g[i];
      lp[i] += p[i] * p[i];
    }
    for (int k = 0; k < momenta.length; k++) {
      final float d = MlpLopt.DECAYS[k];
      final float c = 1 - d;
      final float[] m = momenta[k][b];
      final float[] l = laneSq[2 + k];
      for (int i = 0; i < len; i++) {
        final float v = (d * m[i] + c * g[i] + FastMath.FLUSH) - FastMath.FLUSH;
        m[i] = v;
        l[i] += v * v;
      }
    }
    if (second != null) {
      final float b2 = MlpLopt.ADAM_BETA2;
      final float c2 = 1 - b2;
      final float[] v = second[b];
      for (int i = 0; i < len; i++) {
        v[i] = (b2 * v[i] + c2 * (g[i] * g[i]) + FastMath.FLUSH) - FastMath.FLUSH;
      }
    }
  }

  /** The slow path of {@link #updateMomentaAndMoments}: the sums of squares of one tensor in double. */
  private void sumsInDouble(float[] params, float[] grad, int start, int end, int block0) {
    Arrays.fill(sumSq, 0);
    for (int i = start; i < end; i++) {
      sumSq[0] += (double) grad[i] * grad[i];
      sumSq[1] += (double) params[i] * params[i];
      int b = block0 + (i - start) / BLOCK;
      int j = (i - start) % BLOCK;
      for (int k = 0; k < momenta.length; k++) {
        sumSq[2 + k] += (double) momenta[k][b][j] * momenta[k][b][j];
      }
    }
  }

  /**
   * Runs the MLP on parameters {@code [s, s + len)} of one tensor (block {@code blk}) and applies their steps.
   */
  private void block(float[] params, float[] grad, int s, int len, int blk) {
    final float[][] x = this.x;
    if (simd != null) {
      final float[][] mb = blockMomenta(blk);
      final float[] vb = second == null ? null : second[blk];
      final int full = len - len % MlpLoptSimd.LANES;
      simdBlock(grad, params, s, mb, vb, 0, full);
      if (full < len) {
        simdBlock(x[0], x[1], 0, mb, vb, full, tailChunk(params, grad, s, full, len));
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

  /**
   * The SIMD kernels run on whole chunks; the last, partial chunk of a block ({@code [full, len)}) is copied into
   * rows x[0] (gradient) and x[1] (parameters) at the same indices and padded with zeros: state lanes fed only zeros
   * stay exactly 0, so the padding adds nothing to the sums, and its steps are never copied out. Returns the end of
   * the padded chunk.
   */
  private int tailChunk(float[] params, float[] grad, int s, int full, int len) {
    int end = full + MlpLoptSimd.LANES;
    System.arraycopy(grad, s + full, x[0], full, len - full);
    System.arraycopy(params, s + full, x[1], full, len - full);
    Arrays.fill(x[0], len, end, 0f);
    Arrays.fill(x[1], len, end, 0f);
    return end;
  }

  private float[][] blockMomenta(int b) {
    for (int k = 0; k < blockMomenta.length; k++) {
      blockMomenta[k] = momenta[k][b];
    }
    return blockMomenta;
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

  @Override
  public void reset() {
    for (float[][] mk : momenta) {
      for (float[] m : mk) {
        Arrays.fill(m, 0f);
      }
    }
    if (second != null) {
      for (float[] v : second) {
        Arrays.fill(v, 0f);
      }
    }
    t = 0;
  }

  @Override
  public String name() {
    return MlpLopt.ARCHITECTURE;
  }

  @Override
  public double learningRate() {
    return Double.NaN;
  }
}
