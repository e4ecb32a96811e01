package org.metaopt.core.optim;

/**
 * An optimizer whose learning rate a schedule can scale: after {@link #scaleLearningRate(float) scaleLearningRate(f)}
 * the following steps use {@code learningRate() * f} wherever the base rate entered the update, until the next call.
 * A factor of 1 (the state after creation and after {@link #reset()}) leaves the arithmetic, and so every bit, as
 * without a schedule. {@link #learningRate()} keeps reporting the base rate.
 *
 * <p>Driven by {@link ScheduledOptimizer}. Same threading contract as {@link Optimizer}: not thread-safe.
 */
public interface LearningRateScaled extends Optimizer {

  /**
   * Uses {@code base learning rate * factor} from the next step on.
   *
   * @param factor finite and {@code >= 0}
   * @throws IllegalArgumentException if {@code factor} is negative or not finite
   */
  void scaleLearningRate(float factor);

  /** Requires a factor that {@link #scaleLearningRate} accepts; returns it. */
  static float checkFactor(float factor) {
    if (!(factor >= 0) || !Float.isFinite(factor)) {
      throw new IllegalArgumentException("learning-rate factor must be finite and >= 0, got " + factor);
    }
    return factor;
  }
}
