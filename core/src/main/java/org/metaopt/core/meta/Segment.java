package org.metaopt.core.meta;

import org.metaopt.core.spec.TaskSpec;

/**
 * One truncation segment of one antithetic pair of inner trajectories: what a worker emits and a learner turns
 * into a meta-gradient estimate. Both sides (θ + σz and θ − σz) saw the same initial parameters and minibatches.
 * Arrays are owned by the record once built (never mutated afterwards).
 *
 * @param particleId the worker's pair of trajectories this segment continues
 * @param trajectoryId which trajectory of that particle (state is reset between trajectories)
 * @param segmentIndex 0-based index within the trajectory
 * @param endsTrajectory true for the last segment of a trajectory (also after divergence)
 * @param baseVersion the optimizer version θ was taken from
 * @param estimator how to read the seeds
 * @param sigma perturbation scale
 * @param perturbationSeeds PES: the seeds of every segment of this trajectory so far, this one last (their sum
 *     of directions is the accumulated perturbation); ES: the one seed of this segment
 * @param task the resolved task spec the trajectory trains
 * @param stepOffset inner steps before this segment in the trajectory
 * @param initialLoss the trajectory's first minibatch loss (f_0)
 * @param lossesPos per-step minibatch losses, + side; {@code lossesNeg} for the − side
 * @param gradNormPos per-step gradient L2 norms, + side; {@code gradNormNeg} for the − side
 * @param termsPos objective terms of the + side; {@code termsNeg} for the − side
 * @param divergedPos whether the + side diverged in this segment; {@code divergedNeg} likewise
 * @param rawGradients the per-step minibatch gradients themselves, when the worker records them (off by default;
 *     for small tasks or a sampled fraction of segments), else null
 * @param flatnessStart the flatness terms at the trajectory's initial parameters on its first minibatch (the same
 *     for both sides), which {@link FlatnessNormalization} divides by; null when no flatness term is measured
 */
public record Segment(
    long particleId, long trajectoryId, int segmentIndex, boolean endsTrajectory, long baseVersion,
    EstimatorKind estimator, double sigma, long[] perturbationSeeds, TaskSpec task, int stepOffset,
    double initialLoss, float[] lossesPos, float[] lossesNeg, float[] gradNormPos, float[] gradNormNeg,
    ObjectiveTerms termsPos, ObjectiveTerms termsNeg, boolean divergedPos, boolean divergedNeg,
    RawGradients rawGradients, org.metaopt.core.flatness.FlatnessTerms flatnessStart) {

  /** A segment without flatness start values (none measured, or recorded before segment schema 1.3). */
  public Segment(long particleId, long trajectoryId, int segmentIndex, boolean endsTrajectory, long baseVersion,
      EstimatorKind estimator, double sigma, long[] perturbationSeeds, TaskSpec task, int stepOffset,
      double initialLoss, float[] lossesPos, float[] lossesNeg, float[] gradNormPos, float[] gradNormNeg,
      ObjectiveTerms termsPos, ObjectiveTerms termsNeg, boolean divergedPos, boolean divergedNeg,
      RawGradients rawGradients) {
    this(particleId, trajectoryId, segmentIndex, endsTrajectory, baseVersion, estimator, sigma, perturbationSeeds,
        task, stepOffset, initialLoss, lossesPos, lossesNeg, gradNormPos, gradNormNeg, termsPos, termsNeg, divergedPos,
        divergedNeg, rawGradients, null);
  }

  public Segment {
    if (perturbationSeeds == null || perturbationSeeds.length == 0) {
      throw new IllegalArgumentException("a segment needs at least one perturbation seed");
    }
    if (lossesPos.length != lossesNeg.length || lossesPos.length == 0) {
      throw new IllegalArgumentException("both sides need the same, positive number of steps");
    }
    if (rawGradients != null && rawGradients.pos().length != lossesPos.length * rawGradients.numParams()) {
      throw new IllegalArgumentException("raw gradients hold " + rawGradients.pos().length / rawGradients.numParams()
          + " steps; the segment has " + lossesPos.length);
    }
  }

  /**
   * Raw per-step gradients of both sides, step-major: {@code pos[s * numParams + i]} is coordinate i of the + side's
   * gradient at the segment's step s. A step after divergence holds NaN.
   */
  public record RawGradients(int numParams, float[] pos, float[] neg) {
    public RawGradients {
      if (numParams < 1 || pos.length != neg.length || pos.length % numParams != 0) {
        throw new IllegalArgumentException("raw gradients of " + pos.length + "/" + neg.length
            + " floats do not hold whole steps of " + numParams + " parameters");
      }
    }
  }

  /** Inner steps in this segment. */
  public int steps() {
    return lossesPos.length;
  }
}
