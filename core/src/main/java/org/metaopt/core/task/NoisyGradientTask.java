package org.metaopt.core.task;

import java.util.SplittableRandom;
import org.metaopt.core.tensor.ParamLayout;

/**
 * Wraps a task so that its gradients carry additive Gaussian noise of standard deviation {@code stddev} per
 * coordinate, drawn from the batch's seed (the same batch gives the same noise). Losses, evaluations and
 * Hessian-vector products are those of the wrapped task. Not thread-safe, like the task it wraps.
 */
public final class NoisyGradientTask implements Task {
  private final Task inner;
  private final double stddev;

  public NoisyGradientTask(Task inner, double stddev) {
    if (!(stddev >= 0) || Double.isInfinite(stddev)) {
      throw new IllegalArgumentException("gradient noise stddev " + stddev + " must be finite and >= 0");
    }
    this.inner = inner;
    this.stddev = stddev;
  }

  /** The wrapped task. */
  public Task inner() {
    return inner;
  }

  public double stddev() {
    return stddev;
  }

  @Override
  public String name() {
    return inner.name();
  }

  @Override
  public ParamLayout layout() {
    return inner.layout();
  }

  @Override
  public float[] initialParams(long seed) {
    return inner.initialParams(seed);
  }

  @Override
  public Batch sampleBatch(SplittableRandom rng) {
    return inner.sampleBatch(rng);
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

  @Override
  public double loss(float[] params, Batch batch) {
    return inner.loss(params, batch);
  }

  @Override
  public void hessianVectorProduct(float[] params, Batch batch, float[] v, float[] out) {
    inner.hessianVectorProduct(params, batch, v, out);
  }

  @Override
  public boolean hasExactHessianVectorProduct() {
    return inner.hasExactHessianVectorProduct();
  }

  @Override
  public Evaluation evaluate(float[] params, Split split) {
    return inner.evaluate(params, split);
  }

  @Override
  public boolean isClassifier() {
    return inner.isClassifier();
  }

  @Override
  public boolean hasSplit(Split split) {
    return inner.hasSplit(split);
  }
}
