package org.metaopt.core.meta;

import org.metaopt.core.flatness.FlatnessTerm;
import org.metaopt.core.flatness.FlatnessTerms;

/**
 * Makes flatness terms comparable across tasks before the learner weights them: each term at a segment's end is
 * divided by its magnitude at the trajectory's start, {@code n = x / max(|x_0|, FLOOR)}, clamped to
 * {@code [-CAP, CAP]}. {@code x_0} is measured once per trajectory at the initial parameters on the first minibatch
 * ({@link Segment#flatnessStart()}), the same for both sides, so {@code n⁺ − n⁻} is the antithetic difference in
 * units of the task's own starting flatness: a Rosenbrock trace of 900 and a Booth trace of 15 contribute alike,
 * and a task whose curvature is scaled by 100 contributes exactly what it did before. A quadratic's trace does not
 * move, so it contributes 0, as it must.
 *
 * <p>A side that diverged, or whose term is not finite, gets {@link #CAP} (the flattest solution is never a
 * diverged one) and is counted; the segment is never dropped for it, and the diverged side keeps its capped loss
 * terms. A segment recorded before schema 1.3 has no start values: its finite terms are used as recorded (the old
 * semantics) and its non-finite ones get {@code CAP}. Only terms with a positive weight are touched. Stateless.
 */
public final class FlatnessNormalization {
  /** The normalized value of a diverged side or a non-finite term, and the clamp of every normalized term. */
  public static final double CAP = 10;
  /** Smallest start magnitude divided by, so a start value of 0 does not divide by 0. */
  public static final double FLOOR = 1e-6;

  private FlatnessNormalization() {}

  /** Normalized terms and how many of the weighted flatness terms were replaced by {@link #CAP}. */
  public record Result(ObjectiveTerms terms, int capped) {}

  /**
   * {@code raw}'s flatness terms normalized (those with a positive weight in {@code weights}); other terms unchanged.
   *
   * @param start the terms at the trajectory's start (null for segments recorded before schema 1.3)
   * @param diverged whether this side diverged in the segment
   */
  public static Result normalize(ObjectiveTerms raw, FlatnessTerms start, boolean diverged, ObjectiveWeights weights) {
    double[] w = {weights.hessianTrace(), weights.topEigenvalue(), weights.negLocalEntropy(),
        weights.negLocalEntropySgld()};
    double[] x = {raw.hessianTrace(), raw.topEigenvalue(), raw.negLocalEntropy(), raw.negLocalEntropySgld()};
    int capped = 0;
    for (FlatnessTerm t : FlatnessTerm.values()) {
      int i = t.ordinal();
      if (w[i] == 0) {
        continue;
      }
      if (diverged || !Double.isFinite(x[i])) {
        x[i] = CAP;
        capped++;
        continue;
      }
      double x0 = start == null ? Double.NaN : start.get(t);
      if (Double.isFinite(x0)) {
        x[i] = Math.max(-CAP, Math.min(CAP, x[i] / Math.max(Math.abs(x0), FLOOR)));
      }
    }
    return new Result(raw.withFlatness(x[0], x[1], x[2], x[3]), capped);
  }
}
