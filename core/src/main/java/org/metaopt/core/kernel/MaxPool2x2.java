package org.metaopt.core.kernel;

/**
 * 2x2 max-pooling with stride 2 on one example, {@code [c, s, s]} to {@code [c, s/2, s/2]} (an odd last row and
 * column are dropped), remembering the arg-max for the backward pass. Stateless and allocation-free.
 */
public final class MaxPool2x2 {
  private MaxPool2x2() {}

  /** Output side length for input side {@code s}. */
  public static int outSize(int s) {
    return s / 2;
  }

  /**
   * Pools {@code in} into {@code out}; {@code argmax[outOff + j]} receives the index (relative to {@code inOff}) of
   * the input that won output {@code j} (first maximum on ties).
   */
  public static void forward(float[] in, int inOff, int c, int s, float[] out, int outOff, int[] argmax) {
    int h = s / 2;
    for (int ch = 0; ch < c; ch++) {
      int src = ch * s * s;
      int dst = outOff + ch * h * h;
      for (int py = 0; py < h; py++) {
        for (int px = 0; px < h; px++) {
          int i = src + 2 * py * s + 2 * px;
          int best = i;
          if (in[inOff + i + 1] > in[inOff + best]) {
            best = i + 1;
          }
          if (in[inOff + i + s] > in[inOff + best]) {
            best = i + s;
          }
          if (in[inOff + i + s + 1] > in[inOff + best]) {
            best = i + s + 1;
          }
          out[dst + py * h + px] = in[inOff + best];
          argmax[dst + py * h + px] = best;
        }
      }
    }
  }

  /** Routes {@code dout} back: {@code din} (the {@code c*s*s} planes at {@code dinOff}) is overwritten. */
  public static void backward(float[] dout, int doutOff, int c, int s, int[] argmax, float[] din, int dinOff) {
    int h = s / 2;
    java.util.Arrays.fill(din, dinOff, dinOff + c * s * s, 0f);
    for (int j = 0; j < c * h * h; j++) {
      din[dinOff + argmax[doutOff + j]] += dout[doutOff + j];
    }
  }

  /**
   * {@code out[j] = in[argmax[j]]} for the {@code c*(s/2)^2} outputs at {@code outOff}: pooling with the arg-max of
   * an earlier {@link #forward} held fixed, the linear map the R-operator pushes directions through.
   */
  public static void gather(float[] in, int inOff, int c, int s, int[] argmax, float[] out, int outOff) {
    int h = s / 2;
    for (int j = 0; j < c * h * h; j++) {
      out[outOff + j] = in[inOff + argmax[outOff + j]];
    }
  }
}
