package org.metaopt.core.lopt.hrnn;

/**
 * One step of a single GRU state vector (the per-tensor and global levels), with weights read from θ and an
 * optional extra bias: {@code r = σ(Wx_r x + Wh_r h + b_r + e_r)}, {@code u = σ(Wx_u x + Wh_u h + b_u + e_u)},
 * {@code c = tanh(Wx_c x + Wh_c (r ⊙ h) + b_c + e_c)}, {@code h' = u ⊙ h + (1 - u) ⊙ c}.
 *
 * <p>Uses {@link Math#tanh}/{@link Math#exp} (these levels run once per tensor, not per parameter). Stateless
 * apart from preallocated scratch: one instance per optimizer, not thread-safe.
 */
final class SmallGru {
  private final int hidden;
  private final int in;
  private final int wx;
  private final int wh;
  private final int b;
  private final float[] gates;
  private final float[] rh;

  SmallGru(int hidden, int in, int wxOffset, int whOffset, int bOffset) {
    this.hidden = hidden;
    this.in = in;
    this.wx = wxOffset;
    this.wh = whOffset;
    this.b = bOffset;
    this.gates = new float[3 * hidden];
    this.rh = new float[hidden];
  }

  /**
   * Writes the next state into {@code out} (may alias neither {@code h} nor {@code x}).
   *
   * @param extraBias {@code 3 * hidden} values added to the pre-activations, or null
   */
  void step(float[] th, float[] x, int xOff, float[] h, int hOff, float[] extraBias, float[] out, int outOff) {
    final int n = hidden;
    for (int j = 0; j < 2 * n; j++) {
      double s = th[b + j] + (extraBias == null ? 0f : extraBias[j]);
      s += dot(th, wx + j * in, x, xOff, in);
      s += dot(th, wh + j * n, h, hOff, n);
      gates[j] = (float) (1.0 / (1.0 + Math.exp(-s)));
    }
    for (int k = 0; k < n; k++) {
      rh[k] = gates[k] * h[hOff + k];
    }
    for (int j = 0; j < n; j++) {
      int row = 2 * n + j;
      double s = th[b + row] + (extraBias == null ? 0f : extraBias[row]);
      s += dot(th, wx + row * in, x, xOff, in);
      s += dot(th, wh + row * n, rh, 0, n);
      float c = (float) Math.tanh(s);
      float u = gates[n + j];
      out[outOff + j] = u * h[hOff + j] + (1f - u) * c;
    }
  }

  /** {@code out[j] = W[j] . v} for the {@code rows x cols} row-major matrix of θ at {@code wOff}. */
  static void affine(float[] th, int wOff, int rows, int cols, float[] v, int vOff, float[] out, boolean add) {
    for (int j = 0; j < rows; j++) {
      float s = (float) dot(th, wOff + j * cols, v, vOff, cols);
      out[j] = add ? out[j] + s : s;
    }
  }

  private static double dot(float[] th, int wOff, float[] v, int vOff, int len) {
    double s = 0;
    for (int k = 0; k < len; k++) {
      s += th[wOff + k] * v[vOff + k];
    }
    return s;
  }
}
