package org.metaopt.core.optim;

/**
 * An optimizer run on a learning-rate schedule: before each step it sets the wrapped optimizer's factor
 * ({@link LearningRateScaled#scaleLearningRate}) to {@link CosineSchedule#factor} of its own 0-based step count,
 * then steps it. After the schedule's last step the factor stays 0 (the parameters stop moving).
 *
 * <p>{@link #name()} is the wrapped optimizer's name plus {@code -cosine}; {@link #learningRate()} is its base
 * (peak) rate; {@link #reset()} resets both the wrapped optimizer and the step count. Owns the wrapped optimizer.
 * Not thread-safe: one instance per optimizee run.
 */
public final class ScheduledOptimizer implements Optimizer {
  private final LearningRateScaled inner;
  private final CosineSchedule schedule;
  private long t;

  public ScheduledOptimizer(LearningRateScaled inner, CosineSchedule schedule) {
    if (inner == null || schedule == null) {
      throw new IllegalArgumentException("inner optimizer and schedule must not be null");
    }
    this.inner = inner;
    this.schedule = schedule;
  }

  @Override
  public void step(float[] params, float[] grad) {
    inner.scaleLearningRate((float) schedule.factor(t));
    inner.step(params, grad);
    t++;
  }

  @Override
  public void reset() {
    inner.reset();
    t = 0;
  }

  @Override
  public String name() {
    return inner.name() + "-cosine";
  }

  @Override
  public double learningRate() {
    return inner.learningRate();
  }

  @Override
  public boolean looksAhead() {
    return inner.looksAhead();
  }

  @Override
  public void gradientPoint(float[] params, float[] out) {
    inner.gradientPoint(params, out);
  }

  /** The wrapped optimizer. */
  public LearningRateScaled inner() {
    return inner;
  }

  public CosineSchedule schedule() {
    return schedule;
  }

  /** Steps taken since creation or the last {@link #reset()}. */
  public long steps() {
    return t;
  }
}
