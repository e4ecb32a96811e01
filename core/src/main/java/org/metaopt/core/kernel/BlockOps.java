package org.metaopt.core.kernel;

/**
 * Dense kernels over a block of coordinates stored feature-major ({@code x[k * stride + b]} is feature
 * {@code k} of coordinate {@code b}), so that every innermost loop runs over coordinates and C2 vectorizes it.
 *
 * <p>Stateless and thread-safe; callers own the buffers.
 */
public final class BlockOps {
  private BlockOps() {}

  /**
   * {@code out[r * stride + b] = bias[bOff + r] + sum_k w[wOff + r * wStride + k] * in[k * stride + b]} for
   * {@code r < rows, k < cols, b < len}: a matrix ({@code rows x cols}, row stride {@code wStride}) applied to
   * each of {@code len} coordinates. The inner loop is unrolled by four inputs to cut loads and stores of
   * {@code out}.
   */
  public static void affine(float[] w, int wOff, int wStride, float[] bias, int bOff, int rows, int cols,
      float[] in, float[] out, int stride, int len) {
    for (int r = 0; r < rows; r++) {
      final int o = r * stride;
      final int wr = wOff + r * wStride;
      final float b0 = bias[bOff + r];
      for (int b = 0; b < len; b++) {
        out[o + b] = b0;
      }
      int k = 0;
      for (; k + 3 < cols; k += 4) {
        final float w0 = w[wr + k];
        final float w1 = w[wr + k + 1];
        final float w2 = w[wr + k + 2];
        final float w3 = w[wr + k + 3];
        final int i0 = k * stride;
        final int i1 = i0 + stride;
        final int i2 = i1 + stride;
        final int i3 = i2 + stride;
        for (int b = 0; b < len; b++) {
          out[o + b] += w0 * in[i0 + b] + w1 * in[i1 + b] + w2 * in[i2 + b] + w3 * in[i3 + b];
        }
      }
      for (; k < cols; k++) {
        final float w0 = w[wr + k];
        final int i0 = k * stride;
        for (int b = 0; b < len; b++) {
          out[o + b] += w0 * in[i0 + b];
        }
      }
    }
  }
}
