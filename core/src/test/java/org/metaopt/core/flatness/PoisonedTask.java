package org.metaopt.core.flatness;

import java.util.Arrays;
import org.metaopt.core.task.Batch;
import org.metaopt.core.task.ForwardingTask;
import org.metaopt.core.task.Task;

/** A task that delegates to another but returns NaN losses, gradients or Hessian-vector products on request. */
final class PoisonedTask extends ForwardingTask {
  private final boolean badLoss;
  private final boolean badHvp;

  PoisonedTask(Task inner, boolean badLoss, boolean badHvp) {
    super(inner);
    this.badLoss = badLoss;
    this.badHvp = badHvp;
  }

  @Override
  public String name() {
    return "poisoned-" + inner.name();
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
}
