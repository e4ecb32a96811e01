package org.metaopt.core.kernel;

/**
 * Matrix rows over a block of coordinates, {@code out[i] = b + sum_k w[k] * in[k][i]}, as fused multiply-adds
 * accumulated six inputs per pass: the largest body C2 (Java 17) still unrolls and auto-vectorizes on this
 * machine (eight inputs stay scalar, ~10 GFLOP/s; six reach ~50 GFLOP/s at 256 coordinates against ~33 for the
 * former four-input {@code a*b + c} passes), with one load and store of {@code out} per six multiply-adds. The
 * first pass starts from the bias instead of a filled row.
 *
 * <p>Every array is indexed from 0 by the loop variable only: C2 does not vectorize loops mixing offsets into
 * arrays that might alias. Shared by the learned optimizers' per-coordinate networks (public for the {@code hrnn}
 * subpackage). Stateless and thread-safe.
 */
public final class Rows {
  private Rows() {}

  /**
   * {@code out[k] = sum of rows[k][0..lanes)} in double, each row's sum sequential over the lanes (that order is part
   * of the result), four rows side by side so that their additions overlap instead of each waiting on the one before.
   * One sum at a time was ~9% of hierarchical-rnn's meta-training, and sums kept in an array between additions ~11%
   * of mlp-lopt-h4's (docs/benchmarks.md); eight side by side gave the same as four.
   */
  public static void laneSums(float[][] rows, int lanes, double[] out) {
    int q = 0;
    for (; q + 4 <= rows.length; q += 4) {
      final float[] l0 = rows[q];
      final float[] l1 = rows[q + 1];
      final float[] l2 = rows[q + 2];
      final float[] l3 = rows[q + 3];
      double s0 = 0;
      double s1 = 0;
      double s2 = 0;
      double s3 = 0;
      for (int i = 0; i < lanes; i++) {
        s0 += l0[i];
        s1 += l1[i];
        s2 += l2[i];
        s3 += l3[i];
      }
      out[q] = s0;
      out[q + 1] = s1;
      out[q + 2] = s2;
      out[q + 3] = s3;
    }
    for (; q < rows.length; q++) {
      final float[] l0 = rows[q];
      double s0 = 0;
      for (int i = 0; i < lanes; i++) {
        s0 += l0[i];
      }
      out[q] = s0;
    }
  }

  /** {@code out[i] = b + sum_k w[k] * in[k][i]} for {@code i < len} and {@code k < w.length}. */
  public static void row(float[][] in, float[] w, float b, float[] out, int len) {
    final int n = w.length;
    int k;
    if (n >= 6) {
      six(out, in, w, 0, len, true, b);
      k = 6;
    } else {
      java.util.Arrays.fill(out, 0, len, b);
      k = 0;
    }
    for (; k + 6 <= n; k += 6) {
      six(out, in, w, k, len, false, 0f);
    }
    if (k + 4 <= n) {
      four(out, in[k], in[k + 1], in[k + 2], in[k + 3], w[k], w[k + 1], w[k + 2], w[k + 3], len);
      k += 4;
    }
    if (k + 2 <= n) {
      two(out, in[k], in[k + 1], w[k], w[k + 1], len);
      k += 2;
    }
    if (k < n) {
      one(out, in[k], w[k], len);
    }
  }

  private static void six(float[] out, float[][] in, float[] w, int k, int len, boolean first, float b) {
    final float[] a0 = in[k];
    final float[] a1 = in[k + 1];
    final float[] a2 = in[k + 2];
    final float[] a3 = in[k + 3];
    final float[] a4 = in[k + 4];
    final float[] a5 = in[k + 5];
    final float w0 = w[k];
    final float w1 = w[k + 1];
    final float w2 = w[k + 2];
    final float w3 = w[k + 3];
    final float w4 = w[k + 4];
    final float w5 = w[k + 5];
    if (first) {
      for (int i = 0; i < len; i++) {
        out[i] = Math.fma(w5, a5[i], Math.fma(w4, a4[i], Math.fma(w3, a3[i],
            Math.fma(w2, a2[i], Math.fma(w1, a1[i], Math.fma(w0, a0[i], b))))));
      }
    } else {
      for (int i = 0; i < len; i++) {
        out[i] = Math.fma(w5, a5[i], Math.fma(w4, a4[i], Math.fma(w3, a3[i],
            Math.fma(w2, a2[i], Math.fma(w1, a1[i], Math.fma(w0, a0[i], out[i]))))));
      }
    }
  }

  private static void four(float[] out, float[] a0, float[] a1, float[] a2, float[] a3, float w0, float w1,
      float w2, float w3, int len) {
    for (int i = 0; i < len; i++) {
      out[i] = Math.fma(w3, a3[i], Math.fma(w2, a2[i], Math.fma(w1, a1[i], Math.fma(w0, a0[i], out[i]))));
    }
  }

  private static void two(float[] out, float[] a0, float[] a1, float w0, float w1, int len) {
    for (int i = 0; i < len; i++) {
      out[i] = Math.fma(w1, a1[i], Math.fma(w0, a0[i], out[i]));
    }
  }

  private static void one(float[] out, float[] a0, float w0, int len) {
    for (int i = 0; i < len; i++) {
      out[i] = Math.fma(w0, a0[i], out[i]);
    }
  }
}
