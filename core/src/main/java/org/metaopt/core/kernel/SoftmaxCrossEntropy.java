package org.metaopt.core.kernel;

/**
 * Softmax cross-entropy over rows of logits: loss (numerically stable log-sum-exp), its gradient, its Hessian
 * applied to a vector, and accuracy counts. Stateless and allocation-free.
 */
public final class SoftmaxCrossEntropy {
  private SoftmaxCrossEntropy() {}

  /**
   * Writes the softmax of each of the first {@code rows} rows of {@code logits} ({@code [rows, k]}) into
   * {@code probs} and returns the summed (not mean) cross-entropy against {@code labels}.
   */
  public static double forward(float[] logits, int rows, int k, int[] labels, float[] probs) {
    double total = 0;
    for (int r = 0; r < rows; r++) {
      int off = r * k;
      float max = logits[off];
      for (int j = 1; j < k; j++) {
        max = Math.max(max, logits[off + j]);
      }
      double sum = 0;
      for (int j = 0; j < k; j++) {
        sum += Math.exp(logits[off + j] - max);
      }
      double lse = max + Math.log(sum);
      for (int j = 0; j < k; j++) {
        probs[off + j] = (float) Math.exp(logits[off + j] - lse);
      }
      total += lse - logits[off + labels[r]];
    }
    return total;
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
