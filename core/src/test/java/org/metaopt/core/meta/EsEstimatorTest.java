package org.metaopt.core.meta;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.metaopt.core.lopt.LearnedUpdate;
import org.metaopt.core.task.Batch;
import org.metaopt.core.task.Task;
import org.metaopt.core.task.quadratic.QuadraticTask;
import org.junit.jupiter.api.Test;

/**
 * ES and PES agree with the exact meta-gradient (central finite differences of the deterministic full unroll in
 * double-checked float) within statistical error: every coordinate of the mean estimate lies within 4 standard
 * errors (plus 2% of the gradient's norm for the O(sigma^2) smoothing bias) of the exact value.
 */
class EsEstimatorTest {
  private static final int STEPS = 40;
  private static final int TRUNCATION = 10;
  private static final ObjectiveWeights WEIGHTS = ObjectiveWeights.meanLogLossRatioOnly();
  private static final ObjectiveWeights FINAL_WEIGHTS = new ObjectiveWeights(0, 0, 0, 0, 0, 0, 1);
  private static final ObjectiveWeights CLIPPED_WEIGHTS = new ObjectiveWeights(0, 0, 0, 0, 0, 0, 0, 1);
  private final MomentumGdArchitecture arch = new MomentumGdArchitecture();
  private final Task task = new FixedInit(new QuadraticTask("q", 10, 10, true, 3), 5);
  /** When set, the objective is the final log loss ratio (mean over the last steps) instead of seed 3's mean. */
  private boolean finalObjective;
  /** When set, the objective is Celo2's clipped minibatch loss averaged per truncation. */
  private boolean clippedObjective;

  /** The quadratic with one fixed initial point, so the unroll is a deterministic function of θ. */
  private static final class FixedInit extends org.metaopt.core.task.ForwardingTask {
    private final long seed;

    FixedInit(Task inner, long seed) {
      super(inner);
      this.seed = seed;
    }

    @Override
    public float[] initialParams(long ignored) {
      return inner.initialParams(seed);
    }
  }

  /** Sum over the trajectory's segments of each segment's mean log loss ratio: what PES is unbiased for. */
  private double unrolledObjective(double[] theta) {
    float[] th = {(float) theta[0], (float) theta[1]};
    LearnedUpdate opt = arch.create(th, task.layout(), STEPS);
    float[] w = task.initialParams(0);
    float[] g = new float[w.length];
    double f0 = task.loss(w, Batch.full(0));
    double total = 0;
    double tail = 0;
    for (int s = 0; s < STEPS; s++) {
      double f = task.lossAndGradient(w, Batch.full(0), g);
      total += (clippedObjective ? ObjectiveTerms.clippedLoss(f) : ObjectiveTerms.logLossRatio(f, f0)) / TRUNCATION;
      if (s >= STEPS - ObjectiveTerms.FINAL_STEPS) {
        tail += ObjectiveTerms.logLossRatio(f, f0) / ObjectiveTerms.FINAL_STEPS;
      }
      opt.step(w, g);
    }
    return finalObjective ? tail : total;
  }

  private double[] exactGradient() {
    double[] theta = {Math.log(0.3), 0};
    double[] grad = new double[2];
    double h = 1e-3;
    for (int i = 0; i < 2; i++) {
      double[] p = theta.clone();
      double[] m = theta.clone();
      p[i] += h;
      m[i] -= h;
      grad[i] = (unrolledObjective(p) - unrolledObjective(m)) / (2 * h);
    }
    return grad;
  }

  /** Per-trajectory estimates: the sum of the trajectory's segment estimates. */
  private List<float[]> trajectoryEstimates(EstimatorKind kind, int trajectories) {
    TruncationSchedule schedule = new TruncationSchedule.Constant(STEPS, TRUNCATION);
    Particle particle = new Particle(1, task, null, arch, schedule, new Particle.Settings(kind, 0.01, 1e3, false, null), 42);
    EsEstimator estimator = new EsEstimator(2);
    float[] theta = arch.initialMetaParams(0);
    List<float[]> out = new ArrayList<>();
    for (int t = 0; t < trajectories; t++) {
      float[] sum = new float[2];
      Segment s;
      do {
        s = particle.next(theta, 0);
        float[] g = estimator.estimate(List.of(s), finalObjective ? FINAL_WEIGHTS
            : clippedObjective ? CLIPPED_WEIGHTS : WEIGHTS).gradient();
        // FULL_ES sees one segment holding all 40 steps: its mean log ratio is the objective / (STEPS / TRUNCATION).
        double scale = kind == EstimatorKind.FULL_ES && !finalObjective ? (double) STEPS / TRUNCATION : 1.0;
        for (int i = 0; i < 2; i++) {
          sum[i] += (float) (scale * g[i]);
        }
      } while (!s.endsTrajectory());
      out.add(sum);
    }
    return out;
  }

  private void assertAgrees(EstimatorKind kind, int trajectories) {
    double[] exact = exactGradient();
    List<float[]> est = trajectoryEstimates(kind, trajectories);
    double norm = Math.hypot(exact[0], exact[1]);
    for (int i = 0; i < 2; i++) {
      double mean = 0;
      for (float[] e : est) {
        mean += e[i];
      }
      mean /= est.size();
      double var = 0;
      for (float[] e : est) {
        var += (e[i] - mean) * (e[i] - mean);
      }
      double se = Math.sqrt(var / (est.size() - 1) / est.size());
      assertTrue(Math.abs(mean - exact[i]) <= 4 * se + 0.02 * norm,
          kind + " coordinate " + i + ": estimate " + mean + " +- " + se + " vs exact " + exact[i]);
    }
  }

  @Test
  void fullUnrollEsAgreesWithTheExactMetaGradient() {
    assertAgrees(EstimatorKind.FULL_ES, 400);
  }

  @Test
  void persistentEsOverTruncationsAgreesWithTheExactMetaGradient() {
    assertAgrees(EstimatorKind.PES, 400);
  }

  @Test
  void persistentEsOnTheFinalLogLossRatioAgreesWithTheExactMetaGradientOfTheFinalLoss() {
    // Only the trajectory's last segment carries the term, yet PES's accumulated directions credit every segment.
    finalObjective = true;
    assertAgrees(EstimatorKind.PES, 400);
  }

  @Test
  void persistentEsOnTheMeanClippedLossAgreesWithTheExactMetaGradient() {
    clippedObjective = true;
    assertAgrees(EstimatorKind.PES, 400);
  }

  @Test
  void theMeanClippedLossClipsEachStepAndCountsNonFiniteLossesAsTheClip() {
    assertEquals(ObjectiveTerms.LOSS_CLIP, ObjectiveTerms.clippedLoss(Double.NaN));
    assertEquals(ObjectiveTerms.LOSS_CLIP, ObjectiveTerms.clippedLoss(1e9));
    assertEquals(0, ObjectiveTerms.clippedLoss(-2));
    assertEquals(1.5 * Math.log(10), ObjectiveTerms.LOSS_CLIP, 1e-15);
    Particle particle = new Particle(1, task, null, arch, new TruncationSchedule.Constant(STEPS, TRUNCATION),
        new Particle.Settings(EstimatorKind.PES, 0.01, 1e3, false, null), 42);
    Segment s = particle.next(arch.initialMetaParams(0), 0);
    double mean = 0;
    for (float l : s.lossesPos()) {
      mean += ObjectiveTerms.clippedLoss(l) / s.lossesPos().length;
    }
    assertEquals(mean, s.termsPos().meanClippedLoss(), 1e-12);
  }

  @Test
  void averagingOverFamiliesWeighsEachFamilyEquallyAndIsPlainAveragingForOne() {
    Particle particle = new Particle(1, task, null, arch, new TruncationSchedule.Constant(STEPS, TRUNCATION),
        new Particle.Settings(EstimatorKind.PES, 0.01, 1e3, false, null), 42);
    float[] theta = arch.initialMetaParams(0);
    org.metaopt.core.spec.TaskSpec quad = org.metaopt.core.spec.SpecValidator.resolve(new org.metaopt.core.spec.TaskSpec(
        "q", "quadratic", null, null, null, null, null, null, null, null, 10, 10.0, null, 40, 3L, null, null, null), "t");
    org.metaopt.core.spec.TaskSpec booth = org.metaopt.core.spec.SpecValidator.resolve(new org.metaopt.core.spec.TaskSpec(
        "b", "booth", null, null, null, null, null, null, null, null, null, null, null, 40, null, null, null, null), "t");
    List<Segment> segs = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      Segment s = particle.next(theta, 0);
      segs.add(withTask(s, i < 2 ? quad : booth));
    }
    EsEstimator est = new EsEstimator(2);
    float[] a = est.estimate(segs.subList(0, 2), WEIGHTS).gradient();
    float[] b = est.estimate(segs.subList(2, 3), WEIGHTS).gradient();
    float[] both = est.estimate(segs, WEIGHTS, true).gradient();
    float[] plain = est.estimate(segs, WEIGHTS).gradient();
    for (int i = 0; i < 2; i++) {
      assertEquals((a[i] + b[i]) / 2, both[i], 1e-5 * (Math.abs(a[i]) + Math.abs(b[i])) + 1e-9, "coordinate " + i);
      assertEquals((2 * a[i] + b[i]) / 3, plain[i], 1e-5 * (Math.abs(a[i]) + Math.abs(b[i])) + 1e-9);
    }
    assertArrayEquals(a, est.estimate(segs.subList(0, 2), WEIGHTS, true).gradient(), "one family: the same bits");
    assertEquals("mlp/fashion-mnist", EsEstimator.family(org.metaopt.core.spec.SpecValidator.resolve(
        new org.metaopt.core.spec.TaskSpec("m", "mlp", "fashion-mnist", List.of(8), null, null, null, null, null, 7,
            null, null, null, 10, null, null, null, null), "t")));
  }

  private static Segment withTask(Segment s, org.metaopt.core.spec.TaskSpec spec) {
    return new Segment(s.particleId(), s.trajectoryId(), s.segmentIndex(), s.endsTrajectory(), s.baseVersion(),
        s.estimator(), s.sigma(), s.perturbationSeeds(), spec, s.stepOffset(), s.initialLoss(), s.lossesPos(),
        s.lossesNeg(), s.gradNormPos(), s.gradNormNeg(), s.termsPos(), s.termsNeg(), s.divergedPos(), s.divergedNeg(),
        s.rawGradients());
  }

  @Test
  void finalLogLossRatioIsZeroExceptOnTheSegmentThatEndsTheTrajectory() {
    Particle particle = new Particle(1, task, null, arch, new TruncationSchedule.Constant(STEPS, TRUNCATION),
        new Particle.Settings(EstimatorKind.PES, 0.01, 1e3, false, null), 42);
    float[] theta = arch.initialMetaParams(0);
    Segment s;
    int n = 0;
    do {
      s = particle.next(theta, 0);
      n++;
      double tail = 0;
      for (int i = TRUNCATION - ObjectiveTerms.FINAL_STEPS; i < TRUNCATION; i++) {
        tail += ObjectiveTerms.logLossRatio(s.lossesPos()[i], s.initialLoss()) / ObjectiveTerms.FINAL_STEPS;
      }
      assertEquals(s.endsTrajectory() ? tail : 0, s.termsPos().finalLogLossRatio(), 1e-9, "segment " + n);
    } while (!s.endsTrajectory());
    assertEquals(STEPS / TRUNCATION, n);
  }

  @Test
  void truncatedEsWithoutAccumulationIsMeasurablyBiased() {
    // The same check must fail for truncated ES: it ignores how θ shaped the state each truncation starts from.
    AssertionError e = org.junit.jupiter.api.Assertions.assertThrows(AssertionError.class,
        () -> assertAgrees(EstimatorKind.TRUNCATED_ES, 400));
    assertTrue(e.getMessage().contains("TRUNCATED_ES"), e.getMessage());
  }

  @Test
  void nonFiniteTermsAreDroppedAndCounted() {
    ObjectiveTerms bad = new ObjectiveTerms(Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
    ObjectiveTerms ok = new ObjectiveTerms(1, 1, 1, 1, 1, 1);
    Segment s = new Segment(0, 0, 0, true, 0, EstimatorKind.FULL_ES, 0.1, new long[] {1}, null, 0, 1,
        new float[] {1}, new float[] {1}, new float[] {1}, new float[] {1}, bad, ok, false, false, null);
    EsEstimator.Estimate e = new EsEstimator(2).estimate(List.of(s), WEIGHTS);
    assertEquals(0, e.used());
    assertEquals(1, e.droppedNonFinite());
    assertEquals(0f, e.gradient()[0]);
  }
}
