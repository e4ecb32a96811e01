package org.metaopt.core.kernel;

/**
 * Softmax cross-entropy over rows of logits: loss (numerically stable log-sum-exp), its gradient, its Hessian
 * applied to a vector, and accuracy counts. Stateless and allocation-free (the caller passes scratch).
 */
public final class SoftmaxCrossEntropy {
  private SoftmaxCrossEntropy() {}

  /** Below this {@code exp} is clamped: {@code exp(-87.33)} is about the smallest normal float, 1.2e-38. */
  static final float EXP_FLOOR = -87.33f;
  private static final float LOG2E = 1.44269504089f;
  /** {@code ln 2} in two parts for Cody–Waite reduction ({@code m LN2_HI} is exact: 9 significant bits). */
  private static final float LN2_HI = 0.693359375f;
  private static final float LN2_LO = -2.12194440e-4f;
  /** Adding and subtracting {@code 1.5 * 2^23} rounds a float below {@code 2^22} in magnitude to an integer. */
  private static final float ROUND = 12582912f;

  /**
   * Writes the softmax of each of the first {@code rows} rows of {@code logits} ({@code [rows, k]}) into
   * {@code probs} and returns the summed (not mean) cross-entropy against {@code labels}; {@code scratch} holds at
   * least {@code rows * k} floats (overwritten).
   *
   * <p>{@code e = exp(z - max)} in float by {@link #exp} (within 2 ulp of the true value), summed per row in double:
   * the loss is the sum of {@code max - z[label]} plus the log of the product of the rows' sums (one {@link Math#log}
   * per chunk of rows, not per row), in double, and {@code probs = e * (1 / sum)} rounded once. Per logit this is one
   * vectorized pass instead of {@link Math#exp} in double, which took ~10 ns per call and was about half of the
   * 49-32-10 network's forward and backward pass (docs/benchmarks.md, issue 22).
   */
  public static double forward(float[] logits, int rows, int k, int[] labels, float[] probs, float[] scratch) {
    for (int r = 0; r < rows; r++) {
      int off = r * k;
      float max = rowMax(logits, off, k);
      for (int j = 0; j < k; j++) {
        probs[off + j] = logits[off + j] - max;
      }
    }
    exp(probs, scratch, rows * k);
    double total = 0;
    double product = 1; // of the rows' sums, each in [1, k]: one log per ~250 decades instead of one per row
    for (int r = 0; r < rows; r++) {
      int off = r * k;
      double sum = 0;
      for (int j = 0; j < k; j++) {
        sum += probs[off + j];
      }
      double inv = 1.0 / sum;
      for (int j = 0; j < k; j++) {
        probs[off + j] = (float) (probs[off + j] * inv);
      }
      total += rowMax(logits, off, k) - logits[off + labels[r]];
      if (product > 1e250) {
        total += Math.log(product);
        product = 1;
      }
      product *= sum;
    }
    return total + Math.log(product);
  }

  /**
   * {@code x[i] = exp(max(x[i], }{@link #EXP_FLOOR}{@code ))} in place for {@code i < n}, within 2 ulp for arguments
   * at most 0 (checked by {@code SoftmaxCrossEntropyTest}; larger ones lose range above 88). Cody–Waite reduction
   * {@code x = m ln2 + f}, {@code |f| <= ln2 / 2}, and Cephes' degree-7 polynomial for {@code exp(f)} in one loop of
   * float arithmetic and {@code Math.fma} that C2 vectorizes; then {@code 2^m} in a short scalar loop (C2 17 does not
   * vectorize the bit manipulation). {@code scratch} ({@code n} floats) is overwritten. NaN stays NaN.
   */
  static void exp(float[] x, float[] scratch, int n) {
    for (int i = 0; i < n; i++) {
      float v = Math.max(x[i], EXP_FLOOR);
      float m = (v * LOG2E + ROUND) - ROUND;
      float f = Math.fma(m, -LN2_HI, v);
      f = Math.fma(m, -LN2_LO, f);
      float p = 1.9875691500e-4f;
      p = Math.fma(p, f, 1.3981999507e-3f);
      p = Math.fma(p, f, 8.3334519073e-3f);
      p = Math.fma(p, f, 4.1665795894e-2f);
      p = Math.fma(p, f, 1.6666665459e-1f);
      p = Math.fma(p, f, 5.0000001201e-1f);
      x[i] = Math.fma(p, f * f, f) + 1f;
      scratch[i] = m;
    }
    for (int i = 0; i < n; i++) {
      x[i] *= Float.intBitsToFloat(((int) scratch[i] + 127) << 23);
    }
  }

  private static float rowMax(float[] logits, int off, int k) {
    float max = logits[off];
    for (int j = 1; j < k; j++) {
      max = Math.max(max, logits[off + j]);
    }
    return max;
  }

  /** {@code d = scale * (probs - onehot(labels))}, the gradient of {@code scale *} summed loss w.r.t. the logits. */
  public static void gradient(float[] probs, int rows, int k, int[] labels, float scale, float[] d) {
    for (int r = 0; r < rows; r++) {
      int off = r * k;
      for (int j = 0; j < k; j++) {
        d[off + j] = scale * probs[off + j];
      }
      d[off + labels[r]] -= scale;
    }
  }

  /**
   * {@code out = scale * (diag(p) - p p^T) rz} per row: the Hessian of the loss w.r.t. the logits (independent of
   * the label) applied to the logit direction {@code rz}.
   */
  public static void hessianTimes(float[] probs, int rows, int k, float[] rz, float scale, float[] out) {
    for (int r = 0; r < rows; r++) {
      int off = r * k;
      double mean = 0;
      for (int j = 0; j < k; j++) {
        mean += (double) probs[off + j] * rz[off + j];
      }
      float m = (float) mean;
      for (int j = 0; j < k; j++) {
        out[off + j] = scale * probs[off + j] * (rz[off + j] - m);
      }
    }
  }

  /** Number of rows whose arg-max logit (first on ties) equals the label. */
  public static int countCorrect(float[] logits, int rows, int k, int[] labels) {
    int correct = 0;
    for (int r = 0; r < rows; r++) {
      int off = r * k;
      int best = 0;
      for (int j = 1; j < k; j++) {
        if (logits[off + j] > logits[off + best]) {
          best = j;
        }
      }
      if (best == labels[r]) {
        correct++;
      }
    }
    return correct;
  }
}
