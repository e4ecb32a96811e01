package org.metaopt.core.flatness;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.metaopt.core.task.Batch;
import org.metaopt.core.task.Evaluation;
import org.metaopt.core.task.Split;
import org.metaopt.core.task.Task;
import org.metaopt.core.tensor.ParamLayout;

/** A task that delegates to another but returns NaN losses, gradients or Hessian-vector products on request. */
final class PoisonedTask implements Task {
  private final Task inner;
  private final boolean badLoss;
  private final boolean badHvp;

  PoisonedTask(Task inner, boolean badLoss, boolean badHvp) {
    this.inner = inner;
    this.badLoss = badLoss;
    this.badHvp = badHvp;
  }

  @Override
  public String name() {
    return "poisoned-" + inner.name();
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
    double f = inner.lossAndGradient(params, batch, grad);
    if (badLoss) {
      Arrays.fill(grad, Float.NaN);
      return Double.NaN;
    }
    return f;
  }

  @Override
  public double loss(float[] params, Batch batch) {
    return badLoss ? Double.POSITIVE_INFINITY : inner.loss(params, batch);
  }

  @Override
  public void hessianVectorProduct(float[] params, Batch batch, float[] v, float[] out) {
    inner.hessianVectorProduct(params, batch, v, out);
    if (badHvp) {
      out[out.length / 2] = Float.NaN;
    }
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
}
