package org.metaopt.core.lopt.celo2;

import static org.metaopt.core.lopt.celo2.Celo2Factored.F_RSQRT_VL;
import static org.metaopt.core.lopt.celo2.Celo2Factored.F_RSQRT_VS;
import static org.metaopt.core.lopt.celo2.Celo2Factored.F_VL;
import static org.metaopt.core.lopt.celo2.Celo2Factored.F_VS;

import java.util.Arrays;
import org.metaopt.core.tensor.ParamLayout;

/**
 * Pass 3 of {@link Celo2Optimizer}'s matrix step, fused: each coordinate's 18 element features, the MLP and the
 * direction (output 0) into {@link Celo2State#dir}. Before it, {@link #foldFirstLayer} folds the per-channel
 * normalization ({@link Celo2State#scale}) into the first layer's weights and the 12 features that are constant along
 * a row or a column (the broadcast {@code vS}, {@code vL} and their reciprocal square roots), with the first layer's
 * bias, into per-row and per-column pre-activations. With {@code simd} (the Vector API on and hidden [8, 8]) the
 * whole vectors of each row run on {@link Celo2Simd#directions} and the rest on the plain loop here, with the same
 * bits ({@code Celo2SimdTest}).
 *
 * <p>Reads θ in place (the optimizer's array, rewritten by {@link Celo2Optimizer#setMetaParams}); its folded
 * weights and pre-activations are allocated at creation for the largest matrix, and a pass does not allocate. Not
 * thread-safe: one instance per optimizer, sharing that optimizer's {@link Celo2State}.
 */
final class Celo2Directions {
  /** The features the per-coordinate network reads, as indices into the 30 (the others are folded per row/col). */
  static final int[] ELEMENT_FEATURES = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 27, 28, 29};
  private static final int E = ELEMENT_FEATURES.length;
  private static final int K = Celo2Optimizer.K;

  private final float[] theta;
  private final int[] hidden;
  private final int[] wOff;
  private final int[] bOff;
  private final int outW;
  private final int outB;
  private final int[] rowOff;
  private final int[] colOff;
  private final float[][] momenta;
  private final float[] second;
  private final float[][] rowStat;
  private final float[][] colStat;
  private final float[] gbuf;
  private final float[] rbuf;
  private final float[] dir;
  private final float[][] rowFactor;
  private final float[][] colFactor;
  private final float[] scale;
  private final float[] rowPre;
  /** Column pre-activations unit-major, {@code colPre[u * colStride + j]} (contiguous along a row for SIMD). */
  private final float[] colPre;
  private final int colStride;
  /** Whether pass 3 runs on {@link Celo2Simd} (the Vector API is on and the network is hidden [8, 8]). */
  private final boolean simd;
  private final float[] w0;
  /** {@link #w0} with each weight repeated {@link Celo2Simd#LANES} times, for the SIMD kernel (empty without). */
  private final float[] w0Lanes;
  private final float[] x = new float[E];
  private final float[][] act;

  /** {@code simd} only if the network is hidden [8, 8] ({@link Celo2Simd#H0}, {@link Celo2Simd#H1}). */
  Celo2Directions(Celo2 arch, float[] theta, Celo2State state, Celo2Tensors tensors, boolean simd) {
    this.theta = theta;
    this.hidden = arch.hidden();
    ParamLayout meta = arch.metaLayout();
    int layers = hidden.length;
    this.wOff = new int[layers];
    this.bOff = new int[layers];
    int maxH = 0;
    for (int l = 0; l < layers; l++) {
      wOff[l] = meta.tensor("mlp" + l + ".weight").offset();
      bOff[l] = meta.tensor("mlp" + l + ".bias").offset();
      maxH = Math.max(maxH, hidden[l]);
    }
    this.outW = meta.tensor("out.weight").offset();
    this.outB = meta.tensor("out.bias").offset();
    this.rowOff = tensors.rowOff;
    this.colOff = tensors.colOff;
    this.momenta = state.momenta;
    this.second = state.second;
    this.rowStat = state.rowStat;
    this.colStat = state.colStat;
    this.gbuf = state.gbuf;
    this.rbuf = state.rbuf;
    this.dir = state.dir;
    this.rowFactor = state.rowFactor;
    this.colFactor = state.colFactor;
    this.scale = state.scale;
    this.rowPre = new float[tensors.maxRows * hidden[0]];
    this.colPre = new float[tensors.maxCols * hidden[0]];
    this.colStride = tensors.maxCols;
    this.simd = simd;
    this.w0 = new float[hidden[0] * E];
    this.w0Lanes = new float[simd ? w0.length * Celo2Simd.LANES : 0];
    this.act = new float[layers][maxH];
  }

  /**
   * Folds the per-channel normalization into the first layer: {@link #w0} (units × the 18 element features), and
   * {@link #rowPre} / {@link #colPre}, the contributions of the broadcast features of each row and each column of
   * matrix {@code k} (the bias goes into the rows').
   */
  void foldFirstLayer(int k, int r, int c) {
    final int h = hidden[0];
    final int w = wOff[0];
    final int in = Celo2.FEATURES;
    for (int u = 0; u < h; u++) {
      for (int e = 0; e < E; e++) {
        final int f = ELEMENT_FEATURES[e];
        w0[u * E + e] = theta[w + u * in + f] * scale[f];
      }
    }
    if (simd) {
      final int lanes = w0Lanes.length / w0.length;
      for (int q = 0; q < w0.length; q++) {
        Arrays.fill(w0Lanes, q * lanes, (q + 1) * lanes, w0[q]);
      }
    }
    final boolean rowsSmall = r <= c;
    fold(rowPre, r, rowsSmall ? F_VS : F_VL, rowsSmall ? F_RSQRT_VS : F_RSQRT_VL, rowStat, rowOff[k], true,
        hidden[0], 1);
    fold(colPre, c, rowsSmall ? F_VL : F_VS, rowsSmall ? F_RSQRT_VL : F_RSQRT_VS, colStat, colOff[k], false,
        1, colStride);
  }

  /**
   * {@code pre[i * is + u * us] = (bias_u) + Σ_d W[u, fv+d] s_fv+d stat_d[i] + W[u, fq+d] s_fq+d / sqrt(stat_d[i]
   * + 1e-8)}.
   */
  private void fold(float[] pre, int len, int fv, int fq, float[][] stat, int so, boolean withBias, int is,
      int us) {
    final int h = hidden[0];
    final int w = wOff[0];
    final int in = Celo2.FEATURES;
    for (int i = 0; i < len; i++) {
      for (int u = 0; u < h; u++) {
        float a = withBias ? theta[bOff[0] + u] : 0f;
        for (int d = 0; d < K; d++) {
          final float s = stat[d][so + i];
          a += theta[w + u * in + fv + d] * scale[fv + d] * s
              + theta[w + u * in + fq + d] * scale[fq + d] * (1f / (float) Math.sqrt(s + 1e-8f));
        }
        pre[i * is + u * us] = a;
      }
    }
  }

  /** Pass 3: features, MLP, direction (output 0) of every coordinate of the {@code r x c} matrix at {@code o}. */
  void run(int o, int r, int c, float[] params) {
    int from = 0;
    if (simd) {
      Celo2Simd.directions(o, r, c, params, gbuf, rbuf, momenta[0], momenta[1], momenta[2], second, rowFactor[0],
          rowFactor[1], rowFactor[2], colFactor[0], colFactor[1], colFactor[2], w0Lanes, rowPre, colPre, colStride,
          theta, wOff[1], bOff[1], outW, outB, dir);
      from = Celo2Simd.SPECIES.loopBound(c);
    }
    if (from < c) {
      directionsPlain(o, r, c, from, params);
    }
  }

  /** Pass 3 on plain loops for columns {@code [from, c)} of every row. */
  private void directionsPlain(int o, int r, int c, int from, float[] params) {
    final int h0 = hidden[0];
    final int layers = hidden.length;
    final float[] m0 = momenta[0];
    final float[] m1 = momenta[1];
    final float[] m2 = momenta[2];
    final float[] v = second;
    final float[] x = this.x;
    final float fc = Celo2.FEATURE_CLIP;
    final float[] rf0 = rowFactor[0];
    final float[] rf1 = rowFactor[1];
    final float[] rf2 = rowFactor[2];
    final float[] cf0 = colFactor[0];
    final float[] cf1 = colFactor[1];
    final float[] cf2 = colFactor[2];
    final int last = hidden[layers - 1];
    for (int i = 0; i < r; i++) {
      for (int j = from, e = i * c + from; j < c; j++, e++) {
        final int idx = o + e;
        final float g = gbuf[e];
        final float ri = rbuf[e];
        final float a0 = m0[idx];
        final float a1 = m1[idx];
        final float a2 = m2[idx];
        final float f0 = rf0[i] * cf0[j];
        final float f1 = rf1[i] * cf1[j];
        final float f2 = rf2[i] * cf2[j];
        x[0] = g;
        x[1] = Math.max(-fc, Math.min(fc, g));
        x[2] = params[idx];
        x[3] = a0;
        x[4] = a1;
        x[5] = a2;
        x[6] = v[idx];
        x[7] = a0 * ri;
        x[8] = a1 * ri;
        x[9] = a2 * ri;
        x[10] = ri;
        x[11] = g * f0;
        x[12] = g * f1;
        x[13] = g * f2;
        x[14] = g * ri;
        x[15] = a0 * f0;
        x[16] = a1 * f1;
        x[17] = a2 * f2;
        final float[] a = act[0];
        for (int u = 0; u < h0; u++) {
          float s = rowPre[i * h0 + u] + colPre[u * colStride + j];
          final int wu = u * E;
          for (int f = 0; f < E; f++) {
            s += w0[wu + f] * x[f];
          }
          a[u] = s < 0f ? 0f : s; // ReLU as Celo2Simd's compare-and-blend (keeps -0.0 and NaN)
        }
        for (int l = 1; l < layers; l++) {
          final float[] prev = act[l - 1];
          final float[] cur = act[l];
          final int in = hidden[l - 1];
          final int w = wOff[l];
          final int b = bOff[l];
          for (int u = 0; u < hidden[l]; u++) {
            float s = theta[b + u];
            final int wu = w + u * in;
            for (int q = 0; q < in; q++) {
              s += theta[wu + q] * prev[q];
            }
            cur[u] = s < 0f ? 0f : s;
          }
        }
        final float[] top = act[layers - 1];
        float s = theta[outB];
        for (int q = 0; q < last; q++) {
          s += theta[outW + q] * top[q];
        }
        dir[e] = s;
      }
    }
  }
}
