package org.metaopt.core.meta;

import java.util.List;

/**
 * Turns a window of antithetic segments into one meta-gradient estimate:
 * {@code g = (1/N) sum_i (L+_i - L-_i) / (2 sigma) * zeta_i}, where {@code L±} are the segments' objective terms
 * combined with the learner's weights and {@code zeta_i} is the segment's perturbation direction (PES: the sum of
 * every direction of the trajectory so far, which removes truncation bias). Not thread-safe (scratch buffers).
 */
public final class EsEstimator {
  private final int numMetaParams;
  private final float[] zeta;

  public EsEstimator(int numMetaParams) {
    this.numMetaParams = numMetaParams;
    this.zeta = new float[numMetaParams];
  }

  /** The result of one window. */
  public record Estimate(float[] gradient, int used, int droppedNonFinite, double meanLoss) {}

  /**
   * Averages the estimates of {@code segments} into a new gradient array. A segment whose combined loss on
   * either side is not finite is dropped and counted, never averaged in.
   */
  public Estimate estimate(List<Segment> segments, ObjectiveWeights weights) {
    float[] grad = new float[numMetaParams];
    int used = 0;
    int dropped = 0;
    double lossSum = 0;
    for (Segment s : segments) {
      double lp = weights.combine(s.termsPos());
      double ln = weights.combine(s.termsNeg());
      if (!Double.isFinite(lp) || !Double.isFinite(ln)) {
        dropped++;
        continue;
      }
      java.util.Arrays.fill(zeta, 0f);
      for (long seed : s.perturbationSeeds()) {
        Perturbations.addNormal(seed, 1.0, zeta);
      }
      double coef = (lp - ln) / (2 * s.sigma());
      for (int i = 0; i < numMetaParams; i++) {
        grad[i] += (float) (coef * zeta[i]);
      }
      lossSum += 0.5 * (lp + ln);
      used++;
    }
    if (used > 0) {
      for (int i = 0; i < numMetaParams; i++) {
        grad[i] /= used;
      }
    }
    return new Estimate(grad, used, dropped, used > 0 ? lossSum / used : Double.NaN);
  }
}
