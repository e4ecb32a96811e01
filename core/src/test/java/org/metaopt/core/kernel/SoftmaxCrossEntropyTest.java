package org.metaopt.core.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link SoftmaxCrossEntropy}'s float exponential is within 2 ulp of {@link Math#exp} on {@code [-87, 0]}; the loss
 * and probabilities match a double-precision reference on the same float differences {@code z - max} (loss within
 * {@code 1e-6} relative, probabilities within 3 ulp); NaN logits give a NaN loss; a {@code -inf} logit gets a
 * probability of about {@code 1e-38}.
 */
class SoftmaxCrossEntropyTest {

  @Test
  void floatExpIsWithinTwoUlpOnTheNonPositiveRange() {
    int n = 200_001;
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = -87f * i / (n - 1);
    }
    float[] e = x.clone();
    SoftmaxCrossEntropy.exp(e, new float[n], n);
    double worst = 0;
    for (int i = 0; i < n; i++) {
      double ref = Math.exp(x[i]);
      worst = Math.max(worst, Math.abs(e[i] - ref) / Math.ulp((float) ref));
    }
    assertTrue(worst <= 2, "worst error " + worst + " ulp");
  }

  @Test
  void lossAndProbabilitiesMatchADoubleReference() {
    SplittableRandom rng = new SplittableRandom(3);
    int rows = 37;
    int k = 10;
    float[] logits = new float[rows * k];
    int[] labels = new int[rows];
    for (int i = 0; i < logits.length; i++) {
      logits[i] = (float) (rng.nextGaussian() * (i % 7 == 0 ? 30 : 3));
    }
    for (int r = 0; r < rows; r++) {
      labels[r] = rng.nextInt(k);
    }
    float[] probs = new float[rows * k];
    double loss = SoftmaxCrossEntropy.forward(logits, rows, k, labels, probs, new float[rows * k]);
    double ref = 0;
    for (int r = 0; r < rows; r++) {
      float max = Float.NEGATIVE_INFINITY;
      for (int j = 0; j < k; j++) {
        max = Math.max(max, logits[r * k + j]);
      }
      double sum = 0;
      for (int j = 0; j < k; j++) {
        sum += Math.exp(logits[r * k + j] - max); // the float difference, as the kernel (and its earlier form) takes it
      }
      for (int j = 0; j < k; j++) {
        float p = (float) (Math.exp(logits[r * k + j] - max) / sum);
        float got = probs[r * k + j];
        assertTrue(Math.abs(got - p) <= 3 * Math.ulp(p) || p < 1e-37f,
            "row " + r + " class " + j + ": " + got + " vs " + p);
      }
      ref += max + Math.log(sum) - logits[r * k + labels[r]];
    }
    assertEquals(ref, loss, 1e-6 * Math.abs(ref));
  }

  @Test
  void nanLogitsGiveANanLossAndMinusInfinityAnAlmostZeroProbability() {
    float[] probs = new float[4];
    assertTrue(Double.isNaN(SoftmaxCrossEntropy.forward(new float[] {1f, Float.NaN, 0f, 2f}, 2, 2, new int[] {0, 1},
        probs, new float[4])));
    double loss = SoftmaxCrossEntropy.forward(new float[] {0f, Float.NEGATIVE_INFINITY}, 1, 2, new int[] {0}, probs,
        new float[2]);
    assertEquals(0.0, loss, 1e-30);
    assertEquals(1f, probs[0]);
    assertTrue(probs[1] > 0f && probs[1] < 2e-38f, "p = " + probs[1]);
  }
}
