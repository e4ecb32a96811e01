package org.metaopt.core.tuning;

import org.metaopt.core.spec.TaskSpec;

/**
 * Which problem instance and which run seed every evaluation and tuning run uses, so that the three uses of a
 * task spec never share an instance:
 *
 * <ul>
 *   <li><b>meta-training</b> draws the spec's own instance ({@code spec.seed()}: its data subset, teacher network,
 *       quadratic rotation, least-squares data) with run seeds chosen by the workers;
 *   <li><b>tuning</b> seed {@code j} runs on instance {@link #tuning(TaskSpec, int)} from run seed
 *       {@link #tuningRunSeed(int)};
 *   <li><b>evaluation</b> seed {@code i} runs on instance {@link #evaluation(TaskSpec, int)} (a fresh data subset,
 *       minibatch order, teacher, rotation...) from run seed {@code i} (initialization and minibatches).
 * </ul>
 *
 * <p>The instance seeds are SplitMix64 mixes of the spec's seed with a salt per use, so they differ from each
 * other and from the spec's seed (with probability 1 - 2^-64 per pair). Families without a problem instance (the
 * test functions) differ only by their run seed. Stateless.
 */
public final class ProblemInstances {
  /** Added to the tuning run seeds 0, 1, ... (evaluation run seeds are the small integers 0, 1, ...). */
  public static final long TUNING_RUN_SEED = 0x7475_6E65_5EEDL;

  private static final long EVALUATION_SALT = 0x45_5641_4CL; // "EVAL"
  private static final long TUNING_SALT = 0x54_554E_45L; // "TUNE"

  private ProblemInstances() {}

  /** The problem instance of evaluation seed {@code i}. */
  public static TaskSpec evaluation(TaskSpec resolved, int i) {
    return resolved.withSeed(instanceSeed(resolved.seed(), EVALUATION_SALT, i));
  }

  /** The problem instance of tuning seed {@code j}. */
  public static TaskSpec tuning(TaskSpec resolved, int j) {
    return resolved.withSeed(instanceSeed(resolved.seed(), TUNING_SALT, j));
  }

  /** The run seed (initialization and minibatch order) of evaluation seed {@code i}. */
  public static long evaluationRunSeed(int i) {
    return i;
  }

  /** The run seed of tuning seed {@code j}: never a small integer, so never an evaluation run seed. */
  public static long tuningRunSeed(int j) {
    return TUNING_RUN_SEED + j;
  }

  static long instanceSeed(Long specSeed, long salt, int index) {
    long base = specSeed == null ? 0L : specSeed;
    return mix(mix(base ^ salt) + index);
  }

  /** SplitMix64's finalizer. */
  static long mix(long z) {
    z += 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
