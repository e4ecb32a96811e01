package org.metaopt.core.lopt.celo2;

import java.util.Arrays;

/**
 * A {@link Celo2Optimizer}'s state (momenta, second moment and factored statistics, flat {@code float[]} over the
 * layout or over all matrices' rows and columns) and the per-matrix scratch its passes hand to each other (cleaned
 * gradient, {@code r}, direction, row and column factors, the features' sums of squares and scales). The passes
 * ({@link Celo2Statistics}, {@link Celo2Factored}, {@link Celo2Directions}) keep references to these arrays, which
 * are never replaced.
 *
 * <p>Everything is allocated at creation, the scratch sized for the largest matrix; {@link #reset} zeroes the state.
 * Not thread-safe: one instance per optimizer, that is per optimizee run.
 */
final class Celo2State {
  /** Momenta at {@link Celo2#MOMENTUM_DECAYS} over the whole layout (momenta[0] is the vector branch's). */
  final float[][] momenta;
  final float[] second;
  /** EMA per factored decay of each matrix's row means of {@code g² + 1e-30} (length rows). */
  final float[][] rowStat;
  /** Likewise of column means (length cols). */
  final float[][] colStat;

  // scratch of the current matrix
  /** The cleaned gradient (pass 1), row-major. */
  final float[] gbuf;
  /** {@code r = 1/sqrt(v + 1e-8)} (pass 1), row-major. */
  final float[] rbuf;
  /** The direction (pass 3), orthogonalized and applied by {@link Celo2Optimizer}. */
  final float[] dir;
  /** {@code rowF_d} or {@code colF_d} per row / column, per factored decay. */
  final float[][] rowFactor;
  final float[][] colFactor;
  /** The 30 features' sums of squares over the matrix. */
  final double[] sumSq = new double[Celo2.FEATURES];
  /** The 30 features' normalization scales, from {@link #sumSq}. */
  final float[] scale = new float[Celo2.FEATURES];

  Celo2State(Celo2Tensors tensors, int size) {
    final int k = Celo2Optimizer.K;
    this.momenta = new float[k][size];
    this.second = new float[size];
    this.rowStat = new float[k][tensors.totalRows];
    this.colStat = new float[k][tensors.totalCols];
    this.gbuf = new float[tensors.maxMatrix];
    this.rbuf = new float[tensors.maxMatrix];
    this.dir = new float[tensors.maxMatrix];
    this.rowFactor = new float[k][tensors.maxRows];
    this.colFactor = new float[k][tensors.maxCols];
  }

  /** Zeroes the state (momenta, second moment, factored statistics); the scratch is rewritten before it is read. */
  void reset() {
    for (float[] m : momenta) {
      Arrays.fill(m, 0f);
    }
    Arrays.fill(second, 0f);
    for (float[] s : rowStat) {
      Arrays.fill(s, 0f);
    }
    for (float[] s : colStat) {
      Arrays.fill(s, 0f);
    }
  }
}
