package org.metaopt.core.kernel;

/**
 * A 3x3 convolution with stride 1 and zero 'same' padding on one example: {@code [cin, s, s]} in,
 * {@code [cout, s, s]} out, weights {@code [cout, cin, 3, 3]} (cross-correlation, as in every deep-learning
 * library). Stateless and allocation-free; inner loops are unit-stride axpys over image rows.
 */
public final class Conv3x3 {
  private Conv3x3() {}

  /** {@code out = b + conv(in, w)} for one example (the output planes are overwritten). */
  public static void forward(float[] in, int inOff, int cin, int s, float[] w, int wOff, float[] b, int bOff,
      int cout, float[] out, int outOff) {
    int plane = s * s;
    for (int co = 0; co < cout; co++) {
      int o = outOff + co * plane;
      java.util.Arrays.fill(out, o, o + plane, b[bOff + co]);
    }
    addForward(in, inOff, cin, s, w, wOff, cout, out, outOff);
  }

  /**
   * {@code out += conv(in, w)} for one example, no bias: with {@link #forward} the two terms of the R-operator's
   * pre-activation {@code conv(in, v_w) + v_b + conv(R{in}, w)}.
   */
  public static void addForward(float[] in, int inOff, int cin, int s, float[] w, int wOff, int cout, float[] out,
      int outOff) {
    int plane = s * s;
    for (int co = 0; co < cout; co++) {
      int o = outOff + co * plane;
      for (int ci = 0; ci < cin; ci++) {
        int src = inOff + ci * plane;
        int k = wOff + (co * cin + ci) * 9;
        for (int ky = 0; ky < 3; ky++) {
          for (int kx = 0; kx < 3; kx++) {
            float wv = w[k + ky * 3 + kx];
            int dy = ky - 1;
            int dx = kx - 1;
            int y0 = Math.max(0, -dy);
            int y1 = Math.min(s, s - dy);
            int x0 = Math.max(0, -dx);
            int n = Math.min(s, s - dx) - x0;
            for (int y = y0; y < y1; y++) {
              DenseOps.axpy(wv, in, src + (y + dy) * s + x0 + dx, out, o + y * s + x0, n);
            }
          }
        }
      }
    }
  }

  /** Accumulates the weight and bias gradients of one example given the output gradient {@code dout}. */
  public static void backwardWeights(float[] in, int inOff, int cin, int s, float[] dout, int doutOff, int cout,
      float[] gw, int gwOff, float[] gb, int gbOff) {
    int plane = s * s;
    for (int co = 0; co < cout; co++) {
      int d = doutOff + co * plane;
      double bias = 0;
      for (int p = 0; p < plane; p++) {
        bias += dout[d + p];
      }
      gb[gbOff + co] += (float) bias;
    }
    backwardKernel(in, inOff, cin, s, dout, doutOff, cout, gw, gwOff);
  }

  /** Accumulates the weight gradient only (no bias) of one example given the output gradient {@code dout}. */
  public static void backwardKernel(float[] in, int inOff, int cin, int s, float[] dout, int doutOff, int cout,
      float[] gw, int gwOff) {
    int plane = s * s;
    for (int co = 0; co < cout; co++) {
      int d = doutOff + co * plane;
      for (int ci = 0; ci < cin; ci++) {
        int src = inOff + ci * plane;
        int k = gwOff + (co * cin + ci) * 9;
        for (int ky = 0; ky < 3; ky++) {
          for (int kx = 0; kx < 3; kx++) {
            int dy = ky - 1;
            int dx = kx - 1;
            int y0 = Math.max(0, -dy);
            int y1 = Math.min(s, s - dy);
            int x0 = Math.max(0, -dx);
            int n = Math.min(s, s - dx) - x0;
            float acc = 0;
            for (int y = y0; y < y1; y++) {
              acc += DenseOps.dot(dout, d + y * s + x0, in, src + (y + dy) * s + x0 + dx, n);
            }
            gw[k + ky * 3 + kx] += acc;
          }
        }
      }
    }
  }

  /** {@code din += } the gradient w.r.t. the input of one example given the output gradient {@code dout}. */
  public static void backwardInput(float[] dout, int doutOff, int cout, int s, float[] w, int wOff, int cin,
      float[] din, int dinOff) {
    int plane = s * s;
    for (int co = 0; co < cout; co++) {
      int d = doutOff + co * plane;
      for (int ci = 0; ci < cin; ci++) {
        int dst = dinOff + ci * plane;
        int k = wOff + (co * cin + ci) * 9;
        for (int ky = 0; ky < 3; ky++) {
          for (int kx = 0; kx < 3; kx++) {
            float wv = w[k + ky * 3 + kx];
            int dy = ky - 1;
            int dx = kx - 1;
            int y0 = Math.max(0, -dy);
            int y1 = Math.min(s, s - dy);
            int x0 = Math.max(0, -dx);
            int n = Math.min(s, s - dx) - x0;
            for (int y = y0; y < y1; y++) {
              DenseOps.axpy(wv, dout, d + y * s + x0, din, dst + (y + dy) * s + x0 + dx, n);
            }
          }
        }
      }
    }
  }
}
