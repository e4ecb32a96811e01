package org.metaopt.core.lopt.celo2;

import java.util.Arrays;
import org.metaopt.core.kernel.FastMath;

/**
 * Pass 1 of {@link Celo2Optimizer}'s matrix step: cleaned gradient into {@link Celo2State#gbuf}, momenta, second
 * moment, {@code r} into {@link Celo2State#rbuf}, row and column sums of {@code g² + 1e-30} ({@link #rowSum},
 * {@link #colSum}, read next by {@link Celo2Factored#update}), and the sums of squares of features 0–10 and 14 into
 * {@link Celo2State#sumSq}. With {@code simd} each row's whole vectors of columns run on {@link Celo2Simd#statsRow}
 * and the rest of the row on the plain loop here, with the same bits.
 *
 * <p>Its column sums and scratch are allocated at creation for the largest matrix; a pass does not allocate. Not
 * thread-safe: one instance per optimizer, sharing that optimizer's {@link Celo2State}.
 */
final class Celo2Statistics {
  /** Rows of column sums in float before they go into the double totals. */
  private static final int ACC_ROWS = 32;
  /** {@link Celo2Simd#ACCS}, here so that the plain path does not load the Vector API. */
  private static final int ACCS = 13;
  /** {@link #colAcc}'s sums, in order, as indices into {@code sumSq} (after {@code g² + 1e-30}, into colSum). */
  private static final int[] ACC_FEATURE = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 14};

  private final float[] gbuf;
  private final float[] rbuf;
  private final float[][] momenta;
  private final float[] second;
  private final double[] sumSq;
  /** Whether the whole vectors of each row run on {@link Celo2Simd#statsRow}. */
  private final boolean simd;
  /** The current matrix's row sums of {@code g² + 1e-30} (summed in double along the row). */
  final double[] rowSum;
  /** Its column sums of {@code g² + 1e-30}. */
  final double[] colSum;
  /** Per-column float sums, {@code colAcc[a * colStride + j]} for the {@link Celo2Simd#ACCS} sums. */
  private final float[] colAcc;
  private final int colStride;

  Celo2Statistics(Celo2State state, Celo2Tensors tensors, boolean simd) {
    this.gbuf = state.gbuf;
    this.rbuf = state.rbuf;
    this.momenta = state.momenta;
    this.second = state.second;
    this.sumSq = state.sumSq;
    this.simd = simd;
    this.rowSum = new double[tensors.maxRows];
    this.colSum = new double[tensors.maxCols];
    this.colStride = tensors.maxCols;
    this.colAcc = new float[ACCS * tensors.maxCols];
  }

  /** The gradient entry, 0 if not finite, clipped to ±{@link Celo2#CLIP}. */
  static float clean(float g) {
    return Float.isFinite(g) ? Math.max(-Celo2.CLIP, Math.min(Celo2.CLIP, g)) : 0f;
  }

  /**
   * Pass 1 over the {@code r x c} matrix at {@code o} in the layout; clears {@code sumSq} first. Row sums are summed
   * in double along the row; everything else is summed per column in float ({@link #colAcc}) over at most
   * {@link #ACC_ROWS} rows, then added in double ({@link #flushColumns}), so that the SIMD kernel
   * ({@link Celo2Simd#statsRow}) and the plain loop give the same bits whatever the vector width.
   */
  void run(int o, int r, int c, float[] params, float[] grad) {
    Arrays.fill(colSum, 0, c, 0);
    Arrays.fill(sumSq, 0);
    Arrays.fill(colAcc, 0f);
    final int from = simd ? Celo2Simd.SPECIES.loopBound(c) : 0;
    for (int i = 0; i < r; i++) {
      if (simd) {
        Celo2Simd.statsRow(o, i, c, params, grad, gbuf, rbuf, momenta[0], momenta[1], momenta[2], second, colAcc,
            colStride);
      }
      if (from < c) {
        statsRowPlain(o, i, c, from, params, grad);
      }
      double rs = 0;
      for (int j = 0, e = i * c; j < c; j++, e++) {
        final float g = gbuf[e];
        rs += g * g + 1e-30f;
      }
      rowSum[i] = rs;
      if ((i + 1) % ACC_ROWS == 0 || i == r - 1) {
        flushColumns(c);
      }
    }
  }

  /** Adds the float column sums into {@link #colSum} and {@code sumSq} (in double, column order) and clears them. */
  private void flushColumns(int c) {
    final float[] acc = colAcc;
    for (int j = 0; j < c; j++) {
      colSum[j] += acc[j];
      acc[j] = 0f;
    }
    for (int a = 1; a < ACCS; a++) {
      double t = 0;
      final int base = a * colStride;
      for (int j = 0; j < c; j++) {
        t += acc[base + j];
        acc[base + j] = 0f;
      }
      sumSq[ACC_FEATURE[a - 1]] += t;
    }
  }

  /** Pass 1 on plain loops for columns {@code [from, c)} of row {@code i}. */
  private void statsRowPlain(int o, int i, int c, int from, float[] params, float[] grad) {
    final float[] m0 = momenta[0];
    final float[] m1 = momenta[1];
    final float[] m2 = momenta[2];
    final float[] v = second;
    final float[] acc = colAcc;
    final int st = colStride;
    final float d0 = Celo2.MOMENTUM_DECAYS[0];
    final float d1 = Celo2.MOMENTUM_DECAYS[1];
    final float d2 = Celo2.MOMENTUM_DECAYS[2];
    final float b2 = Celo2.RMS_DECAY;
    final float fc = Celo2.FEATURE_CLIP;
    final float fl = FastMath.FLUSH;
    for (int j = from, e = i * c + from; j < c; j++, e++) {
      final int idx = o + e;
      final float g = clean(grad[idx]);
      gbuf[e] = g;
      final float gg = g * g;
      final float a0 = (d0 * m0[idx] + (1 - d0) * g + fl) - fl;
      final float a1 = (d1 * m1[idx] + (1 - d1) * g + fl) - fl;
      final float a2 = (d2 * m2[idx] + (1 - d2) * g + fl) - fl;
      final float vi = (b2 * v[idx] + (1 - b2) * gg + fl) - fl;
      m0[idx] = a0;
      m1[idx] = a1;
      m2[idx] = a2;
      v[idx] = vi;
      final float ri = 1f / (float) Math.sqrt(vi + 1e-8f);
      rbuf[e] = ri;
      final float cl = Math.max(-fc, Math.min(fc, g));
      final float p = params[idx];
      final float mr0 = a0 * ri;
      final float mr1 = a1 * ri;
      final float mr2 = a2 * ri;
      final float gr = g * ri;
      acc[j] += gg + 1e-30f;
      acc[st + j] += gg;
      acc[2 * st + j] += cl * cl;
      acc[3 * st + j] += p * p;
      acc[4 * st + j] += a0 * a0;
      acc[5 * st + j] += a1 * a1;
      acc[6 * st + j] += a2 * a2;
      acc[7 * st + j] += vi * vi;
      acc[8 * st + j] += mr0 * mr0;
      acc[9 * st + j] += mr1 * mr1;
      acc[10 * st + j] += mr2 * mr2;
      acc[11 * st + j] += ri * ri;
      acc[12 * st + j] += gr * gr;
    }
  }
}
