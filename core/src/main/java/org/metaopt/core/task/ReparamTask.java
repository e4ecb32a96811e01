package org.metaopt.core.task;

/**
 * Global weight reparameterization, a task augmentation of Celo2's meta-training (../shared/RESEARCH.md § Celo2):
 * the optimizer's parameters {@code w} stand for the inner task's {@code u = s·w}. The initial point is
 * {@code u0 / s}, the loss is the inner loss at {@code s·w}, the gradient {@code s·∇L(s·w)} and the Hessian-vector
 * product {@code s²·H(s·w) v}; evaluations read {@code s·w}. The same problem is presented at another parameter
 * scale, so an optimizer meta-trained on many {@code s} cannot lean on one scale of parameters and gradients.
 *
 * <p>Not thread-safe (a scratch buffer for {@code s·w}), like the tasks it wraps.
 */
public final class ReparamTask extends ForwardingTask {
  private final float scale;
  private final float[] scaled;

  /** @param scale {@code s}, finite and {@code > 0} */
  public ReparamTask(Task inner, double scale) {
    super(inner);
    if (!(scale > 0) || Double.isInfinite(scale)) {
      throw new IllegalArgumentException("reparameterization scale " + scale + " must be finite and > 0");
    }
    this.scale = (float) scale;
    this.scaled = new float[inner.numParams()];
  }

  /** {@code s}. */
  public double scale() {
    return scale;
  }

  @Override
  public float[] initialParams(long seed) {
    float[] u = inner.initialParams(seed);
    for (int i = 0; i < u.length; i++) {
      u[i] /= scale;
    }
    return u;
  }

  private float[] scaled(float[] w) {
    for (int i = 0; i < w.length; i++) {
      scaled[i] = w[i] * scale;
    }
    return scaled;
  }

  @Override
  public double lossAndGradient(float[] params, Batch batch, float[] grad) {
    double loss = inner.lossAndGradient(scaled(params), batch, grad);
    for (int i = 0; i < grad.length; i++) {
      grad[i] *= scale;
    }
    return loss;
  }

  @Override
  public double loss(float[] params, Batch batch) {
    return inner.loss(scaled(params), batch);
  }

  @Override
  public void hessianVectorProduct(float[] params, Batch batch, float[] v, float[] out) {
    inner.hessianVectorProduct(scaled(params), batch, v, out);
    float s2 = scale * scale;
    for (int i = 0; i < out.length; i++) {
      out[i] *= s2;
    }
  }

  @Override
  public Evaluation evaluate(float[] params, Split split) {
    return inner.evaluate(scaled(params), split);
  }
}
