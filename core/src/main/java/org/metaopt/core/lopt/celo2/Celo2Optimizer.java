package org.metaopt.core.lopt.celo2;

import java.util.Arrays;
import java.util.List;
import org.metaopt.core.kernel.NewtonSchulz;
import org.metaopt.core.kernel.FastMath;
import org.metaopt.core.lopt.LearnedUpdate;
import org.metaopt.core.kernel.Simd;
import org.metaopt.core.optim.CosineSchedule;
import org.metaopt.core.tensor.ParamLayout;
import org.metaopt.core.tensor.TensorSpec;

/**
 * The optimizer a {@link Celo2} θ defines (the formulas are on {@link Celo2}). Per matrix tensor and step, three
 * passes over its coordinates: (1) statistics — clip, momenta, second moment, the row and column sums of
 * {@code g² + 1e-30} and the sums of squares of the 12 features that need no factored statistics; then the
 * factored statistics (vectors of length rows + cols) are updated; (2) the sums of squares of the 6 factored
 * features ({@code g rowF colF} and {@code m rowF colF}, which need the updated statistics); (3) the fused pass:
 * features, MLP and direction, written into a scratch matrix. Newton–Schulz then runs on that matrix and a last
 * pass normalizes it to RMS 1 and applies it. The per-channel normalization is folded into the first layer's
 * weights, and the 12 features that are constant along a row or a column (the broadcast {@code vS}, {@code vL}
 * and their reciprocal square roots) are folded with the first layer's bias into per-row and per-column
 * pre-activations, so the per-coordinate network reads 18 features. Vectors take one pass.
 *
 * <p>With {@link Simd#ENABLED} and hidden [8, 8], passes 1 and 3 run on {@link Celo2Simd} over whole vectors of a
 * row's columns (the rest of a row on the plain loops): the same bits as the plain loops ({@code Celo2SimdTest}).
 * Cost per matrix coordinate at H = [8, 8]: about
 * {@code 18·8 + 8·8 + 8} multiply-adds of network plus ~60 flops of features, and Newton–Schulz's
 * {@code 5 (2 r² c + r³)} multiply-adds per matrix ({@code r = min(R, C)}).
 *
 * <p>All state (flat {@code float[]} over the layout, factored statistics per matrix) and scratch (sized for the
 * largest matrix; Newton–Schulz reserved up front) are allocated at creation; a step does not allocate. Decaying
 * state is flushed to 0 below {@link FastMath#FLUSH}. Not thread-safe: one instance per optimizee run.
 */
final class Celo2Optimizer implements LearnedUpdate {
  /** The features the per-coordinate network reads, as indices into the 30 (the others are folded per row/col). */
  static final int[] ELEMENT_FEATURES = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 27, 28, 29};
  private static final int E = ELEMENT_FEATURES.length;
  private static final int K = 3;
  private static final int F_VS = 15;
  private static final int F_VL = 18;
  private static final int F_RSQRT_VS = 21;
  private static final int F_RSQRT_VL = 24;

  private final float[] theta;
  private final int[] hidden;
  private final int[] wOff;
  private final int[] bOff;
  private final int outW;
  private final int outB;
  private final int size;
  private final float lr;
  private final float weightDecay;
  private final boolean ns;
  /** The warm-up + cosine schedule, or null for a constant rate. */
  private final CosineSchedule schedule;

  // tensors
  private final List<TensorSpec> tensors;
  private final boolean[] matrix;
  private final int[] rows;
  private final int[] cols;
  /** Each tensor's rate over η_t: vectorLrMult for vectors, muScale / fanIn for hidden matrices when on, else 1. */
  private final float[] rateMult;
  /** Offsets of each matrix's row and column statistics in {@link #rowStat} / {@link #colStat}. */
  private final int[] rowOff;
  private final int[] colOff;

  // state
  /** Momenta at {@link Celo2#MOMENTUM_DECAYS} over the whole layout (momenta[0] is the vector branch's). */
  private final float[][] momenta;
  private final float[] second;
  /** EMA per factored decay of each matrix's row means of {@code g² + 1e-30} (length rows). */
  private final float[][] rowStat;
  /** Likewise of column means (length cols). */
  private final float[][] colStat;
  private long t;

  // scratch
  private final float[] gbuf;
  private final float[] rbuf;
  private final float[] dir;
  private final double[] rowSum;
  private final double[] colSum;
  private final float[][] rowFactor;
  private final float[][] colFactor;
  private final float[] rowPre;
  /** Column pre-activations unit-major, {@code colPre[u * colStride + j]} (contiguous along a row for SIMD). */
  private final float[] colPre;
  private final int colStride;
  /** Pass 1's per-column float sums, {@code colAcc[a * colStride + j]} for the {@link Celo2Simd#ACCS} sums. */
  private final float[] colAcc;
  /** Whether pass 3 runs on {@link Celo2Simd} (the Vector API is on and the network is hidden [8, 8]). */
  private final boolean simd;
  private final float[] w0;
  /** {@link #w0} with each weight repeated {@link Celo2Simd#LANES} times, for the SIMD kernel (empty without). */
  private final float[] w0Lanes;
  private final double[] sumSq = new double[Celo2.FEATURES];
  private final float[] scale = new float[Celo2.FEATURES];
  private final float[] x = new float[E];
  private final float[][] act;
  private final NewtonSchulz orthogonalizer;

  Celo2Optimizer(Celo2 arch, float[] theta, ParamLayout taskLayout, int totalSteps) {
    this(arch, theta, taskLayout, totalSteps, Simd.ENABLED);
  }

  /** With {@code simd} false pass 3 runs on the plain loops only (the same bits; for tests and comparisons). */
  Celo2Optimizer(Celo2 arch, float[] theta, ParamLayout taskLayout, int totalSteps, boolean simd) {
    Celo2Config c = arch.config();
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
    this.size = taskLayout.size();
    this.lr = (float) c.lr();
    this.weightDecay = (float) c.weightDecay();
    this.ns = c.ns();
    this.schedule = c.schedule() == Celo2Config.Schedule.COSINE && totalSteps > 0 ? new CosineSchedule(totalSteps)
        : null;
    this.tensors = taskLayout.tensors();
    int n = tensors.size();
    this.matrix = new boolean[n];
    this.rows = new int[n];
    this.cols = new int[n];
    this.rateMult = new float[n];
    this.rowOff = new int[n];
    this.colOff = new int[n];
    int first = -1;
    int last = -1;
    for (int k = 0; k < n; k++) {
      if (tensors.get(k).shape().length >= 2) {
        last = k;
        first = first < 0 ? k : first;
      }
    }
    this.orthogonalizer = new NewtonSchulz();
    int totalRows = 0;
    int totalCols = 0;
    int maxRows = 1;
    int maxCols = 1;
    int maxMatrix = 1;
    for (int k = 0; k < n; k++) {
      TensorSpec s = tensors.get(k);
      int[] shape = s.shape();
      matrix[k] = shape.length >= 2;
      if (!matrix[k]) {
        rateMult[k] = (float) c.vectorLrMult();
        continue;
      }
      rows[k] = shape[0]; // a dense [in, out] as stored; a conv [out, in, kh, kw] as out x (in kh kw)
      cols[k] = s.size() / shape[0];
      rateMult[k] = c.muScale() > 0 && k != first && k != last ? (float) (c.muScale() / s.fanIn()) : 1f;
      rowOff[k] = totalRows;
      colOff[k] = totalCols;
      totalRows += rows[k];
      totalCols += cols[k];
      maxRows = Math.max(maxRows, rows[k]);
      maxCols = Math.max(maxCols, cols[k]);
      maxMatrix = Math.max(maxMatrix, s.size());
      if (ns) {
        orthogonalizer.reserve(rows[k], cols[k]);
      }
    }
    this.momenta = new float[K][size];
    this.second = new float[size];
    this.rowStat = new float[K][totalRows];
    this.colStat = new float[K][totalCols];
    this.gbuf = new float[maxMatrix];
    this.rbuf = new float[maxMatrix];
    this.dir = new float[maxMatrix];
    this.rowSum = new double[maxRows];
    this.colSum = new double[maxCols];
    this.rowFactor = new float[K][maxRows];
    this.colFactor = new float[K][maxCols];
    this.rowPre = new float[maxRows * hidden[0]];
    this.colPre = new float[maxCols * hidden[0]];
    this.colStride = maxCols;
    this.colAcc = new float[ACCS * maxCols];
    this.simd = simd && layers == 2 && hidden[0] == 8 && hidden[1] == 8; // Celo2Simd.H0, H1 (not loaded otherwise)
    this.w0 = new float[hidden[0] * E];
    this.w0Lanes = new float[this.simd ? w0.length * Celo2Simd.LANES : 0];
    this.act = new float[layers][maxH];
  }

  @Override
  public void setMetaParams(float[] newTheta) {
    Celo2.checkTheta(newTheta, theta.length);
    System.arraycopy(newTheta, 0, theta, 0, theta.length);
  }

  @Override
  public void step(float[] params, float[] grad) {
    if (params.length != size || grad.length != size) {
      throw new IllegalArgumentException(Celo2.ARCHITECTURE + " optimizer was created for " + size
          + " parameters but got params of length " + params.length + " and grad of length " + grad.length);
    }
    final float eta = schedule == null ? lr : (float) (lr * schedule.factor(t));
    for (int k = 0; k < tensors.size(); k++) {
      if (matrix[k]) {
        matrixStep(k, params, grad, eta * rateMult[k]);
      } else {
        vectorStep(tensors.get(k), params, grad, eta * rateMult[k]);
      }
    }
    t++;
  }

  /** The gradient entry, 0 if not finite, clipped to ±{@link Celo2#CLIP}. */
  private static float clean(float g) {
    return Float.isFinite(g) ? Math.max(-Celo2.CLIP, Math.min(Celo2.CLIP, g)) : 0f;
  }

  private void vectorStep(TensorSpec s, float[] params, float[] grad, float rate) {
    final float b = Celo2.VECTOR_MOMENTUM;
    final float b2 = Celo2.RMS_DECAY;
    final float[] m = momenta[0];
    final float[] v = second;
    final float wd = weightDecay;
    for (int i = s.offset(); i < s.end(); i++) {
      final float g = clean(grad[i]);
      final float mi = (b * m[i] + (1 - b) * g + FastMath.FLUSH) - FastMath.FLUSH;
      final float vi = (b2 * v[i] + (1 - b2) * (g * g) + FastMath.FLUSH) - FastMath.FLUSH;
      m[i] = mi;
      v[i] = vi;
      final float p = params[i];
      params[i] = p - rate * (mi / (float) Math.sqrt(vi + 1e-8f) + wd * p);
    }
  }

  private void matrixStep(int k, float[] params, float[] grad, float rate) {
    final int o = tensors.get(k).offset();
    final int r = rows[k];
    final int c = cols[k];
    final int n = r * c;
    statistics(o, r, c, params, grad);
    factoredStatistics(k, r, c);
    factoredSums(o, r, c);
    for (int f = 0; f < Celo2.FEATURES; f++) {
      scale[f] = (float) (1 / Math.sqrt(sumSq[f] / n + 1e-9));
    }
    foldFirstLayer(k, r, c);
    directions(o, r, c, params);
    if (ns) {
      orthogonalizer.orthogonalize(dir, 0, r, c, dir, 0);
    }
    double ss = 0;
    for (int e = 0; e < n; e++) {
      ss += (double) dir[e] * dir[e];
    }
    final float sc = (float) (1 / Math.sqrt(ss / n + 1e-9));
    final float wd = weightDecay;
    for (int e = 0; e < n; e++) {
      final float p = params[o + e];
      params[o + e] = p - rate * (dir[e] * sc + wd * p);
    }
  }

  /**
   * Pass 1: cleaned gradient into {@link #gbuf}, momenta, second moment, {@code r} into {@link #rbuf}, row and column
   * sums of {@code g² + 1e-30}, and the sums of squares of features 0–10 and 14. Row sums are summed in double along
   * the row; everything else is summed per column in float ({@link #colAcc}) over at most {@link #ACC_ROWS} rows, then
   * added in double ({@link #flushColumns}), so that the SIMD kernel ({@link Celo2Simd#statsRow}) and the plain loop
   * give the same bits whatever the vector width.
   */
  private void statistics(int o, int r, int c, float[] params, float[] grad) {
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

  /** Rows of column sums in float before they go into the double totals. */
  private static final int ACC_ROWS = 32;
  /** {@link Celo2Simd#ACCS}, here so that the plain path does not load the Vector API. */
  private static final int ACCS = 13;
  /** {@link #colAcc}'s sums, in order, as indices into {@link #sumSq} (after {@code g² + 1e-30}, into colSum). */
  private static final int[] ACC_FEATURE = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 14};

  /** Adds the float column sums into {@link #colSum} and {@link #sumSq} (in double, column order) and clears them. */
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

  /**
   * Updates matrix {@code k}'s factored statistics from the row and column sums, fills {@link #rowFactor} /
   * {@link #colFactor} (the small axis d1 takes {@code rowF}, the large axis d0 {@code colF}) and the sums of squares
   * of the broadcast features 15–26 (a tensor mean of a broadcast vector is the vector's mean).
   */
  private void factoredStatistics(int k, int r, int c) {
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
  private void factoredSums(int o, int r, int c) {
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

  /**
   * Folds the per-channel normalization into the first layer: {@link #w0} (units × the 18 element features), and
   * {@link #rowPre} / {@link #colPre}, the contributions of the broadcast features of each row and each column
   * (the bias goes into the rows').
   */
  private void foldFirstLayer(int k, int r, int c) {
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

  /** Pass 3: features, MLP, direction (output 0) of every coordinate into {@link #dir}. */
  private void directions(int o, int r, int c, float[] params) {
    int from = 0;
    if (simd) {
      Celo2Simd.directions(o, r, c, params, gbuf, rbuf, momenta[0], momenta[1], momenta[2], second, rowFactor[0],
          rowFactor[1], rowFactor[2], colFactor[0], colFactor[1], colFactor[2], w0Lanes, rowPre, colPre, colStride, theta,
          wOff[1], bOff[1], outW, outB, dir);
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

  @Override
  public void reset() {
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
    t = 0;
  }

  @Override
  public String name() {
    return Celo2.ARCHITECTURE;
  }

  /** The base learning rate η (before schedule, vector and μ multipliers). */
  @Override
  public double learningRate() {
    return lr;
  }
}
