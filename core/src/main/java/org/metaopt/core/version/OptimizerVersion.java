package org.metaopt.core.version;

import java.util.Map;

/**
 * One published learned-optimizer version: architecture and hyperparameters, θ and its SHA-256, its place in the
 * version chain, the meta-optimizer state needed to resume training from it, and provenance. Immutable by
 * contract (arrays are not copied on access; do not mutate them).
 *
 * @param version number in the chain, 0 for the initial θ
 * @param parent the version this one was computed from, -1 for version 0
 * @param architecture learned-optimizer architecture name
 * @param hyperparameters architecture hyperparameters
 * @param theta the meta-parameters
 * @param thetaSha256 hex SHA-256 of θ as little-endian float32 bytes
 * @param metaState meta-optimizer state to resume from (null for none)
 * @param provenance how it was made
 */
public record OptimizerVersion(
    long version, long parent, String architecture, Map<String, Object> hyperparameters, float[] theta,
    String thetaSha256, MetaState metaState, Provenance provenance) {

  public OptimizerVersion {
    hyperparameters = Map.copyOf(hyperparameters);
    String actual = ThetaHash.sha256(theta);
    if (!actual.equals(thetaSha256)) {
      throw new IllegalArgumentException("θ hash " + thetaSha256 + " does not match θ (" + actual + ")");
    }
  }

  /** A version whose hash is computed from θ. */
  public static OptimizerVersion of(long version, long parent, String architecture, Map<String, Object> hyper,
      float[] theta, MetaState metaState, Provenance provenance) {
    return new OptimizerVersion(version, parent, architecture, hyper, theta, ThetaHash.sha256(theta), metaState,
        provenance);
  }

  /** Adam state of the meta-optimizer: step count and both moment vectors. */
  public record MetaState(long step, float[] m, float[] v, long droppedEstimates) {}

  /**
   * Where a version came from.
   *
   * @param configHash SHA-256 of the meta-training config
   * @param estimator estimator name and sigma, e.g. "PES sigma=0.01"
   * @param objectiveWeights the weights the learner combined terms with
   * @param trainingTasks names of the meta-training tasks
   * @param seed the run's seed
   * @param codeVersion metaopt version that produced it
   * @param createdAt ISO-8601 time
   * @param segments how many segments went into this version's update
   * @param window free-form description of the data window (e.g. offsets), may be empty
   */
  public record Provenance(
      String configHash, String estimator, Map<String, Double> objectiveWeights, java.util.List<String> trainingTasks,
      long seed, String codeVersion, String createdAt, int segments, String window) {}
}
