package org.metaopt.core.meta;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a window of antithetic segments into one meta-gradient estimate:
 * {@code g = (1/N) sum_i (L+_i - L-_i) / (2 sigma) * zeta_i}, where {@code L±} are the segments' objective terms
 * combined with the learner's weights and {@code zeta_i} is the segment's perturbation direction (PES: the sum of
 * every direction of the trajectory so far, which removes truncation bias). When a flatness term is weighted, the
 * flatness terms are first normalized per trajectory ({@link FlatnessNormalization}); a diverged side's or a
 * non-finite flatness term becomes the cap and is counted ({@link Estimate#flatnessCapped}), so it never drops
 * the segment. Not thread-safe (scratch buffers).
 */
public final class EsEstimator {
  private final int numMetaParams;
  private final float[] zeta;

  public EsEstimator(int numMetaParams) {
    this.numMetaParams = numMetaParams;
    this.zeta = new float[numMetaParams];
  }

  /**
   * The result of one window; {@code flatnessCapped} counts the weighted flatness terms replaced by
   * {@link FlatnessNormalization#CAP} (a diverged side or a non-finite measurement).
   */
  public record Estimate(float[] gradient, int used, int droppedNonFinite, double meanLoss, int flatnessCapped) {}

  /**
   * Averages the estimates of {@code segments} into a new gradient array. A segment whose combined loss on
   * either side is not finite is dropped and counted, never averaged in.
   */
  public Estimate estimate(List<Segment> segments, ObjectiveWeights weights) {
    return estimate(segments, weights, false);
  }

  /**
   * As {@link #estimate(List, ObjectiveWeights)}; with {@code perFamily}, the segments are first averaged within
   * their task family ({@link #family}) and the families' estimates are then averaged with equal weight (Celo2:
   * "gradients averaged over families"), so a family that produces more segments per second does not dominate.
   */
  public Estimate estimate(List<Segment> segments, ObjectiveWeights weights, boolean perFamily) {
    Map<String, List<Segment>> groups = new LinkedHashMap<>();
    for (Segment s : segments) {
      groups.computeIfAbsent(perFamily ? family(s.task()) : "", k -> new ArrayList<>()).add(s);
    }
    float[] grad = new float[numMetaParams];
    int used = 0;
    int dropped = 0;
    int capped = 0;
    boolean normalize = weights.weighsFlatness();
    int groupsUsed = 0;
    double lossSum = 0;
    float[] part = groups.size() == 1 ? grad : new float[numMetaParams];
    for (List<Segment> group : groups.values()) {
      if (part != grad) {
        Arrays.fill(part, 0f);
      }
      int n = 0;
      double groupLoss = 0;
      for (Segment s : group) {
        ObjectiveTerms tp = s.termsPos();
        ObjectiveTerms tn = s.termsNeg();
        if (normalize) {
          var np = FlatnessNormalization.normalize(tp, s.flatnessStart(), s.divergedPos(), weights);
          var nn = FlatnessNormalization.normalize(tn, s.flatnessStart(), s.divergedNeg(), weights);
          tp = np.terms();
          tn = nn.terms();
          capped += np.capped() + nn.capped();
        }
        double lp = weights.combine(tp);
        double ln = weights.combine(tn);
        if (!Double.isFinite(lp) || !Double.isFinite(ln)) {
          dropped++;
          continue;
        }
        Arrays.fill(zeta, 0f);
        for (long seed : s.perturbationSeeds()) {
          Perturbations.addNormal(seed, 1.0, zeta);
        }
        double coef = (lp - ln) / (2 * s.sigma());
        for (int i = 0; i < numMetaParams; i++) {
          part[i] += (float) (coef * zeta[i]);
        }
        groupLoss += 0.5 * (lp + ln);
        n++;
      }
      if (n == 0) {
        continue;
      }
      used += n;
      groupsUsed++;
      lossSum += groupLoss / n;
      for (int i = 0; i < numMetaParams; i++) {
        part[i] /= n;
      }
      if (part != grad) {
        for (int i = 0; i < numMetaParams; i++) {
          grad[i] += part[i];
        }
      }
    }
    if (groupsUsed > 1) {
      for (int i = 0; i < numMetaParams; i++) {
        grad[i] /= groupsUsed;
      }
    }
    return new Estimate(grad, used, dropped, groupsUsed > 0 ? lossSum / groupsUsed : Double.NaN, capped);
  }

  /** A segment's task family: the spec's family and data set ({@code mlp/fashion-mnist}, {@code quadratic}). */
  public static String family(org.metaopt.core.spec.TaskSpec spec) {
    if (spec == null) {
      return "";
    }
    return spec.dataset() == null ? spec.family() : spec.family() + "/" + spec.dataset();
  }
}
