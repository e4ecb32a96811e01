package org.metaopt.core.lopt.celo2;

/**
 * {@link Celo2Optimizer}'s factored (Adafactor-style) row and column statistics of a matrix, and pass 2 of its
 * matrix step. {@link #update} moves each matrix's {@link Celo2State#rowStat} / {@link Celo2State#colStat} by the
 * row and column sums of pass 1, fills the row and column factors ({@code rowF}, {@code colF}) and the sums of
 * squares of the broadcast features 15–26; {@link #sums} (pass 2) adds the sums of squares of the 6 factored
 * features, which need the updated factors.
 *
 * <p>Holds no arrays of its own: it works on its optimizer's {@link Celo2State}. Not thread-safe: one instance per
 * optimizer.
 */
final class Celo2Factored {
  /** First of the 3 features {@code vS_d} (the statistics along the small axis d1). */
  static final int F_VS = 15;
  /** First of the 3 features {@code vL_d} (along the large axis d0). */
  static final int F_VL = 18;
  /** First of the 3 features {@code 1/sqrt(vS_d + 1e-8)}. */
  static final int F_RSQRT_VS = 21;
  /** First of the 3 features {@code 1/sqrt(vL_d + 1e-8)}. */
  static final int F_RSQRT_VL = 24;
  private static final int K = Celo2Optimizer.K;

  private final int[] rowOff;
  private final int[] colOff;
  private final float[][] rowStat;
  private final float[][] colStat;
  private final float[][] rowFactor;
  private final float[][] colFactor;
  private final float[][] momenta;
  private final float[] gbuf;
  private final double[] sumSq;

  Celo2Factored(Celo2State state, Celo2Tensors tensors) {
    this.rowOff = tensors.rowOff;
    this.colOff = tensors.colOff;
    this.rowStat = state.rowStat;
    this.colStat = state.colStat;
    this.rowFactor = state.rowFactor;
    this.colFactor = state.colFactor;
    this.momenta = state.momenta;
    this.gbuf = state.gbuf;
    this.sumSq = state.sumSq;
  }

  /**
   * Updates matrix {@code k}'s factored statistics from the row and column sums, fills {@code rowFactor} /
   * {@code colFactor} (the small axis d1 takes {@code rowF}, the large axis d0 {@code colF}) and the sums of squares
   * of the broadcast features 15–26 (a tensor mean of a broadcast vector is the vector's mean).
   */
  void update(int k, int r, int c, double[] rowSum, double[] colSum) {
    final boolean rowsSmall = r <= c; // d1 = rows (also when square)
    final int ro = rowOff[k];
    final int co = colOff[k];
    final int n = r * c;
    for (int d = 0; d < K; d++) {
      final float beta = Celo2.FACTORED_DECAYS[d];
      final float[] rs = rowStat[d];
      final float[] cs = colStat[d];
      for (int i = 0; i < r; i++) {
        rs[ro + i] = beta * rs[ro + i] + (1 - beta) * (float) (rowSum[i] / c);
      }
      for (int j = 0; j < c; j++) {
        cs[co + j] = beta * cs[co + j] + (1 - beta) * (float) (colSum[j] / r);
      }
      final float[] small = rowsSmall ? rs : cs;
      final int so = rowsSmall ? ro : co;
      final int sn = rowsSmall ? r : c;
      final float[] large = rowsSmall ? cs : rs;
      final int lo = rowsSmall ? co : ro;
      final int ln = rowsSmall ? c : r;
      final float[] sf = rowsSmall ? rowFactor[d] : colFactor[d];
      final float[] lf = rowsSmall ? colFactor[d] : rowFactor[d];
      double mean = 0;
      double sq = 0;
      double rsq = 0;
      for (int i = 0; i < sn; i++) {
        final double s = small[so + i];
        mean += s;
        sq += s * s;
        final double q = 1 / Math.sqrt(s + 1e-8);
        rsq += q * q;
      }
      mean /= sn;
      sumSq[F_VS + d] = sq / sn * n;
      sumSq[F_RSQRT_VS + d] = rsq / sn * n;
      final float denom = (float) (mean + 1e-9);
      for (int i = 0; i < sn; i++) {
        sf[i] = 1f / (float) Math.sqrt(Math.max(small[so + i] / denom, 1e-9f));
      }
      sq = 0;
      rsq = 0;
      for (int i = 0; i < ln; i++) {
        final float s = large[lo + i];
        sq += (double) s * s;
        final double q = 1 / Math.sqrt(s + 1e-8);
        rsq += q * q;
        lf[i] = 1f / (float) Math.sqrt(Math.max(s, 1e-9f));
      }
      sumSq[F_VL + d] = sq / ln * n;
      sumSq[F_RSQRT_VL + d] = rsq / ln * n;
    }
  }

  /** Pass 2: sums of squares of {@code g rowF_d colF_d} (features 11–13) and {@code m_d rowF_d colF_d} (27–29). */
  void sums(int o, int r, int c) {
    for (int d = 0; d < K; d++) {
      final float[] m = momenta[d];
      final float[] rf = rowFactor[d];
      final float[] cf = colFactor[d];
      double sg = 0;
      double sm = 0;
      for (int i = 0, e = 0; i < r; i++) {
        final float fr = rf[i];
        for (int j = 0; j < c; j++, e++) {
          final float f = fr * cf[j];
          final float a = gbuf[e] * f;
          final float b = m[o + e] * f;
          sg += a * a;
          sm += b * b;
        }
      }
      sumSq[11 + d] = sg;
      sumSq[27 + d] = sm;
    }
  }
}
