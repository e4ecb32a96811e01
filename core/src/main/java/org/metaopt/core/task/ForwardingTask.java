package org.metaopt.core.task;

import java.util.SplittableRandom;
import org.metaopt.core.tensor.ParamLayout;

/**
 * A task that forwards every call to another: the base of wrappers that change one aspect (gradient noise, a
 * fixed initial point, injected faults in tests). Thread-safety is that of the wrapped task.
 */
public abstract class ForwardingTask implements Task {
  protected final Task inner;

  protected ForwardingTask(Task inner) {
    this.inner = inner;
  }

  /** The wrapped task. */
  public Task inner() {
    return inner;
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
    return inner.lossAndGradient(params, batch, grad);
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
