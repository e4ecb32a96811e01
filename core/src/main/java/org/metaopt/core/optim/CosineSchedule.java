package org.metaopt.core.optim;

/**
 * Linear warm-up then cosine decay to zero over a run of {@code totalSteps} steps: the learning-rate factor for
 * 0-based step {@code t} of {@code T}.
 *
 * <p>With {@code W = clamp(round(warmupFraction * T), 1, T - 1)} warm-up steps: {@code (t + 1) / W} for
 * {@code t < W} (from {@code 1 / W} at step 0 to 1 at step {@code W - 1}); then
 * {@code 0.5 (1 + cos(pi (t - W) / (T - 1 - W)))}, which is 1 at step {@code W} and exactly 0 at the last step
 * {@code T - 1}; 0 after the run. A one-step run ({@code T = 1}) has factor 1 at its only step, which would
 * otherwise be both the warm-up's end and the decay's. This is the "warm-up + cosine" of the learned-optimizer
 * literature's baselines (RESEARCH.md, "Baselines and metrics") and of Celo2's deployment.
 *
 * <p>Immutable and thread-safe.
 *
 * @param totalSteps the run's length {@code T}, {@code >= 1}
 * @param warmupFraction the share of the run spent warming up, in {@code [0, 1)}; at least one step regardless
 */
public record CosineSchedule(int totalSteps, double warmupFraction) {

  /** The warm-up share used when none is given. */
  public static final double DEFAULT_WARMUP_FRACTION = 0.05;

  public CosineSchedule {
    if (totalSteps < 1) {
      throw new IllegalArgumentException("totalSteps must be >= 1, got " + totalSteps);
    }
    if (!(warmupFraction >= 0 && warmupFraction < 1)) {
      throw new IllegalArgumentException("warmupFraction must be in [0, 1), got " + warmupFraction);
    }
  }

  /** A schedule over {@code totalSteps} with the default warm-up share ({@value #DEFAULT_WARMUP_FRACTION}). */
  public CosineSchedule(int totalSteps) {
    this(totalSteps, DEFAULT_WARMUP_FRACTION);
  }

  /** The number of warm-up steps {@code W} (0 for a one-step run). */
  public int warmupSteps() {
    if (totalSteps == 1) {
      return 0;
    }
    long w = Math.round(warmupFraction * totalSteps);
    return (int) Math.max(1, Math.min(w, totalSteps - 1));
  }

  /**
   * The factor for 0-based step {@code step}, in {@code [0, 1]}.
   *
   * @throws IllegalArgumentException if {@code step} is negative
   */
  public double factor(long step) {
    if (step < 0) {
      throw new IllegalArgumentException("step must be >= 0, got " + step);
    }
    if (totalSteps == 1) {
      return step == 0 ? 1 : 0;
    }
    int w = warmupSteps();
    if (step < w) {
      return (step + 1) / (double) w;
    }
    long last = totalSteps - 1;
    if (step >= last) {
      return 0;
    }
    return 0.5 * (1 + Math.cos(Math.PI * (step - w) / (double) (last - w)));
  }
}
