package org.metaopt.core.spec;

import org.metaopt.core.meta.MetaTrainConfigs;

import java.util.Map;

/**
 * A meta-training config (META.yaml), as written; {@link MetaTrainConfigs#load} fills defaults and validates.
 * Documented field by field in {@code docs/meta-training.md}. Immutable.
 *
 * @param name run name
 * @param architecture learned-optimizer architecture ({@code mlp-lopt}, {@code hierarchical-rnn}, ...)
 * @param hyperparameters architecture hyperparameters (architecture-specific; empty for defaults)
 * @param tasks meta-training suite file, relative to the config file
 * @param estimator how meta-gradients are estimated
 * @param truncation trajectory lengths and truncations
 * @param objective weights of the meta-objective terms
 * @param metaOptimizer outer Adam settings
 * @param window learner window settings
 * @param heldOut optional held-out scoring during training
 * @param seed run seed
 * @param sampling how particles draw their tasks (default: one task per particle, round-robin over the suite)
 */
public record MetaTrainConfig(
    String name, String architecture, Map<String, Object> hyperparameters, String tasks, Estimator estimator,
    Truncation truncation, Objective objective, MetaOptimizer metaOptimizer, Window window, HeldOut heldOut,
    Long seed, Sampling sampling) {

  /**
   * {@code kind}: pes | full-es | truncated-es; {@code sigma}: perturbation scale; particles per worker thread;
   * {@code averageOverFamilies}: average a window's estimates within each task family first, then over families.
   */
  public record Estimator(String kind, Double sigma, Integer particlesPerWorker, Boolean averageOverFamilies) {}

  /**
   * {@code perTrajectory}: each trajectory draws its task from the suite (else a particle keeps one task);
   * {@code minScale}, {@code maxScale}: global weight reparameterization s = exp(U[ln min, ln max]) per drawn task
   * (1 and 1: off); {@code randomStartOffset}: a particle's first trajectory starts at a random step.
   */
  public record Sampling(Boolean perTrajectory, Double minScale, Double maxScale, Boolean randomStartOffset) {}

  /**
   * {@code schedule}: constant | log-uniform | heavy-tailed. Constant uses trajectoryLength; log-uniform uses
   * minLength..maxLength; both cut trajectories into truncationLength steps. Heavy-tailed follows seed 3
   * (round(Exp(meanPartials)) + 1 partial unrolls of round(Exp(meanSegment)) + minSegment steps).
   */
  public record Truncation(String schedule, Integer trajectoryLength, Integer truncationLength, Integer minLength,
      Integer maxLength, Double meanPartials, Double meanSegment, Integer minSegment) {}

  /**
   * Weights of the recorded terms, and {@code record}: flatness terms to measure and record even at weight 0
   * ({@code hessianTrace}, {@code topEigenvalue}, {@code negLocalEntropy}, {@code negLocalEntropySgld}), so that
   * replay can re-weight them later.
   */
  public record Objective(Double finalLoss, Double meanLogLossRatio, Double validationLoss, Double hessianTrace,
      Double topEigenvalue, Double negLocalEntropy, Double finalLogLossRatio, Double meanClippedLoss,
      Double negLocalEntropySgld, java.util.List<String> record) {
    /** True when no weight was written (then the mean log loss ratio alone is used). */
    public boolean isEmpty() {
      return finalLoss == null && meanLogLossRatio == null && validationLoss == null && hessianTrace == null
          && topEigenvalue == null && negLocalEntropy == null && finalLogLossRatio == null && meanClippedLoss == null
          && negLocalEntropySgld == null;
    }
  }

  /**
   * Outer Adam learning rate, gradient-norm clip, decoupled weight decay (AdamW; 0: off) and the learning rate's
   * schedule: linear warm-up over {@code warmupSteps} meta-steps, then cosine decay over {@code decaySteps} to
   * {@code minLrFraction} of the rate, kept from then on ({@code MetaLrSchedule}; all absent: constant).
   */
  public record MetaOptimizer(Double learningRate, Double clipNorm, Double weightDecay, Integer warmupSteps,
      Integer decaySteps, Double minLrFraction) {}

  /**
   * Segments per learner window, the longest wait for one, the most versions a segment may lag, and the most
   * segments a Kafka learner's window may take when more are already waiting (at least {@code segments}).
   */
  public record Window(Integer segments, Integer maxWaitMillis, Integer maxStaleness, Integer maxSegments) {}

  /** Score the current version on {@code suite} every {@code everyVersions} versions. */
  public record HeldOut(String suite, Integer everyVersions) {}
}
