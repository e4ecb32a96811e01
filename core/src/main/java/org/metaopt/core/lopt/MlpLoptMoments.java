package org.metaopt.core.lopt;

import java.util.Arrays;
import org.metaopt.core.kernel.FastMath;
import org.metaopt.core.kernel.Rows;
import org.metaopt.core.tensor.ParamLayout;

/**
 * {@link MlpLoptOptimizer}'s state and its first pass: the six momenta and the Adam second moment, stored per block
 * of {@link MlpLoptOptimizer#BLOCK} coordinates ({@code momenta[k][block][i]}; blocks never span tensors), updated
 * tensor by tensor together with the sums of squares the per-tensor normalization needs ({@link #sumSq}). With
 * {@code simd} the pass runs on {@link MlpLoptSimd#momenta}, else on the plain loops here: the same bits.
 *
 * <p>All state and scratch are allocated at creation; a pass does not allocate; {@link #reset} zeroes the state. Not
 * thread-safe: one instance per optimizer, that is per optimizee run.
 */
final class MlpLoptMoments {
  private static final int BLOCK = MlpLoptOptimizer.BLOCK;

  /** {@code momenta[k][b][i]}: momentum at decay k of coordinate i of block b. */
  final float[][][] momenta;
  /** Second moment (decay {@link MlpLopt#ADAM_BETA2}) for the Adam features, per block; null without them. */
  final float[][] second;
  /** Index of each tensor's first block. */
  final int[] firstBlock;
  /** The current tensor's sums of squares of g, p and the new momenta. */
  final double[] sumSq = new double[MlpLopt.NORMALIZED];
  /** Per-lane partial sums of squares of the normalized features over the current tensor. */
  private final float[][] laneSq = new float[MlpLopt.NORMALIZED][BLOCK];
  /** This block's momentum rows, {@code momenta[k][b]}, gathered for the SIMD kernels. */
  private final float[][] blockMomenta = new float[MlpLopt.DECAYS.length][];
  /** Block rows the plain loops copy gradient and parameters into (the optimizer's feature rows, shared). */
  private final float[][] x;
  /** Whether the pass runs on {@link MlpLoptSimd}. */
  private final boolean simd;

  MlpLoptMoments(ParamLayout taskLayout, boolean adamFeatures, float[][] x, boolean simd) {
    int tensors = taskLayout.tensors().size();
    this.firstBlock = new int[tensors];
    int blocks = 0;
    for (int k = 0; k < tensors; k++) {
      firstBlock[k] = blocks;
      blocks += (taskLayout.tensors().get(k).size() + BLOCK - 1) / BLOCK;
    }
    this.momenta = new float[MlpLopt.DECAYS.length][blocks][BLOCK];
    this.second = adamFeatures ? new float[blocks][BLOCK] : null;
    this.x = x;
    this.simd = simd;
  }

  /**
   * Updates the six momenta and the second moment of one tensor and its sums of squares of g, p and the new
   * momenta. The sums are kept per lane in float ({@link #laneSq}, vectorized) and added up in double at the end;
   * if a float lane overflows (gradients beyond ~1e17), the tensor's sums are recomputed in double.
   */
  void update(float[] params, float[] grad, int start, int end, int block0) {
    // The SIMD kernel stores the lane sums on a tensor's first block (every lane read below) and adds on the others;
    // the plain loops add, onto lanes cleared here. A fill of the touched lanes before each tensor was ~5% of
    // mlp-lopt-h4's meta-training.
    if (!simd) {
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
    if (simd) {
      final float[][] mb = blockMomenta(b);
      final float[] vb = second == null ? null : second[b];
      final int full = len - len % MlpLoptSimd.LANES;
      MlpLoptSimd.momenta(grad, params, s, mb, vb, MlpLopt.DECAYS, MlpLopt.ADAM_BETA2, laneSq, 0, full, first);
      if (full < len) {
        MlpLoptSimd.momenta(x[0], x[1], 0, mb, vb, MlpLopt.DECAYS, MlpLopt.ADAM_BETA2, laneSq, full,
            MlpLoptOptimizer.tailChunk(x, params, grad, s, full, len), first);
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

  /** The slow path of {@link #update}: the sums of squares of one tensor in double. */
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

  /** Block {@code b}'s momentum rows, {@code momenta[k][b]}, in one reused array (for the SIMD kernels). */
  float[][] blockMomenta(int b) {
    for (int k = 0; k < blockMomenta.length; k++) {
      blockMomenta[k] = momenta[k][b];
    }
    return blockMomenta;
  }

  /** Zeroes the momenta and the second moment. */
  void reset() {
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
  }
}
