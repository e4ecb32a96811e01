package org.metaopt.core.meta;

/**
 * The outer (meta-) learning rate's schedule, as a factor of the configured rate by meta-step: a linear warm-up over
 * {@code warmupSteps}, then a cosine decay over {@code decaySteps} to {@code minFraction} of the rate, which it keeps
 * from then on (so an online learner settles at the floor instead of random-walking at the full rate). The step
 * index is the meta-optimizer's own step count, which version files carry, so a resumed or replayed learner follows
 * the same schedule. {@link #CONSTANT} (no warm-up, no decay) gives factor 1 at every step: the same bits as no
 * schedule. Immutable.
 *
 * @param warmupSteps meta-steps of linear warm-up ({@code >= 0}; 0: none)
 * @param decaySteps meta-steps of cosine decay after the warm-up ({@code >= 0}; 0: no decay)
 * @param minFraction the factor at the end of the decay and after it, in (0, 1]
 */
public record MetaLrSchedule(int warmupSteps, int decaySteps, double minFraction) {
  /** Factor 1 at every step. */
  public static final MetaLrSchedule CONSTANT = new MetaLrSchedule(0, 0, 1);

  public MetaLrSchedule {
    if (warmupSteps < 0 || decaySteps < 0 || !(minFraction > 0 && minFraction <= 1)) {
      throw new IllegalArgumentException("warmupSteps " + warmupSteps + " and decaySteps " + decaySteps
          + " must be >= 0 and minFraction " + minFraction + " in (0, 1]");
    }
  }

  /** The factor for meta-step {@code step} (0-based: the number of steps applied before it). */
  public double factor(long step) {
    if (step < warmupSteps) {
      return (step + 1.0) / warmupSteps;
    }
    if (decaySteps == 0) {
      return 1;
    }
    double u = Math.min(1.0, (double) (step - warmupSteps) / decaySteps);
    return minFraction + (1 - minFraction) * 0.5 * (1 + Math.cos(Math.PI * u));
  }
}
