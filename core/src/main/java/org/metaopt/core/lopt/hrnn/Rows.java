package org.metaopt.core.lopt.hrnn;

/**
 * One GRU pre-activation row over a block, accumulated four inputs per pass: loops small enough for C2 to
 * unroll and auto-vectorize (a single 22-input body exceeds its unroll limit and stays scalar), with one
 * accumulator load/store per four multiply-adds rather than per one.
 *
 * <p>Stateless and thread-safe.
 */
final class Rows {
  private Rows() {}

  /** {@code out[i] = b + sum_k w[k] * in[k][i]} for {@code i < len} and {@code k < w.length}. */
  static void row(float[][] in, float[] w, float b, float[] out, int len) {
    int k = 0;
    java.util.Arrays.fill(out, 0, len, b);
    for (; k + 4 <= w.length; k += 4) {
      quad(out, in[k], in[k + 1], in[k + 2], in[k + 3], w[k], w[k + 1], w[k + 2], w[k + 3], len);
    }
    for (; k < w.length; k++) {
      final float[] a = in[k];
      final float wk = w[k];
      for (int i = 0; i < len; i++) {
        out[i] += wk * a[i];
      }
    }
  }

  private static void quad(float[] out, float[] a0, float[] a1, float[] a2, float[] a3, float w0, float w1,
      float w2, float w3, int len) {
    for (int i = 0; i < len; i++) {
      out[i] += (w0 * a0[i] + w1 * a1[i]) + (w2 * a2[i] + w3 * a3[i]);
    }
  }
}
