package org.metaopt.core.meta;

import org.metaopt.core.optim.Adam;

/**
 * The outer-loop optimizer: Adam on θ after clipping the estimate's L2 norm, with optional decoupled weight decay
 * (AdamW: {@code θ ← θ (1 − lr·wd)} before the Adam step, as Celo2's outer AdamW); a non-finite estimate is dropped
 * and counted, so it can never poison θ. Its state (Adam moments and step count) is exported for version files so a
 * learner can resume. Not thread-safe.
 */
public final class MetaOptimizer {
  private final Adam adam;
  private final double clipNorm;
  private final double learningRate;
  private final double weightDecay;
  private final MetaLrSchedule schedule;
  private long dropped;
  private long applied;

  /** @param clipNorm the estimate's L2 norm is scaled down to at most this (finite, > 0) */
  public MetaOptimizer(int numMetaParams, double learningRate, double clipNorm) {
    this(numMetaParams, learningRate, clipNorm, 0);
  }

  /** @param weightDecay decoupled weight decay (finite, >= 0; 0: plain Adam, the same bits as without it) */
  public MetaOptimizer(int numMetaParams, double learningRate, double clipNorm, double weightDecay) {
    this(numMetaParams, learningRate, clipNorm, weightDecay, MetaLrSchedule.CONSTANT);
  }

  /** @param schedule the learning rate's factor by meta-step (also scales the weight decay's step, as AdamW does) */
  public MetaOptimizer(int numMetaParams, double learningRate, double clipNorm, double weightDecay,
      MetaLrSchedule schedule) {
    if (!(clipNorm > 0) || Double.isInfinite(clipNorm)) {
      throw new IllegalArgumentException("clipNorm " + clipNorm + " must be finite and > 0");
    }
    if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
      throw new IllegalArgumentException("weightDecay " + weightDecay + " must be finite and >= 0");
    }
    this.adam = new Adam(Adam.Config.defaults(learningRate), numMetaParams);
    this.clipNorm = clipNorm;
    this.learningRate = learningRate;
    this.weightDecay = weightDecay;
    this.schedule = schedule;
  }

  /**
   * Applies one meta-step to {@code theta} in place; returns the estimate's norm before clipping, or NaN when the
   * estimate was not finite (then θ is untouched and the drop is counted). {@code gradient} is clipped in place.
   */
  public double step(float[] theta, float[] gradient) {
    double sq = 0;
    for (float x : gradient) {
      sq += (double) x * x;
    }
    double norm = Math.sqrt(sq);
    if (!Double.isFinite(norm)) {
      dropped++;
      return Double.NaN;
    }
    if (norm > clipNorm) {
      float scale = (float) (clipNorm / norm);
      for (int i = 0; i < gradient.length; i++) {
        gradient[i] *= scale;
      }
    }
    double factor = schedule.factor(adam.steps());
    float decay = (float) (1 - learningRate * factor * weightDecay);
    if (decay != 1f) {
      for (int i = 0; i < theta.length; i++) {
        theta[i] *= decay;
      }
    }
    adam.scaleLearningRate((float) factor);
    adam.step(theta, gradient);
    applied++;
    return norm;
  }

  /** Estimates dropped because they were not finite. */
  public long dropped() {
    return dropped;
  }

  /** Meta-steps applied. */
  public long applied() {
    return applied;
  }

  /** The state to store in a version file. */
  public org.metaopt.core.version.OptimizerVersion.MetaState state() {
    float[][] mv = adam.moments();
    return new org.metaopt.core.version.OptimizerVersion.MetaState(adam.steps(), mv[0], mv[1], dropped);
  }

  /** Resumes from a version file's state. */
  public void restore(org.metaopt.core.version.OptimizerVersion.MetaState state) {
    adam.restore(state.step(), state.m(), state.v());
    dropped = state.droppedEstimates();
    applied = state.step();
  }
}
