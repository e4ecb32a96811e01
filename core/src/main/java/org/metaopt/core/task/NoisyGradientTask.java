package org.metaopt.core.task;

import java.util.SplittableRandom;

/**
 * Wraps a task so that its gradients carry additive Gaussian noise of standard deviation {@code stddev} per
 * coordinate, drawn from the batch's seed (the same batch gives the same noise). Losses, evaluations and
 * Hessian-vector products are those of the wrapped task. Not thread-safe, like the task it wraps.
 */
public final class NoisyGradientTask extends ForwardingTask {
  private final double stddev;

  public NoisyGradientTask(Task inner, double stddev) {
    super(inner);
    if (!(stddev >= 0) || Double.isInfinite(stddev)) {
      throw new IllegalArgumentException("gradient noise stddev " + stddev + " must be finite and >= 0");
    }
    this.stddev = stddev;
  }

  public double stddev() {
    return stddev;
  }

  @Override
  public double lossAndGradient(float[] params, Batch batch, float[] grad) {
    double loss = inner.lossAndGradient(params, batch, grad);
    if (stddev > 0) {
      SplittableRandom rng = new SplittableRandom(batch.seed() ^ 0x9E3779B97F4A7C15L);
      for (int i = 0; i < grad.length; i++) {
        grad[i] += (float) (stddev * rng.nextGaussian());
      }
    }
    return loss;
  }
}
