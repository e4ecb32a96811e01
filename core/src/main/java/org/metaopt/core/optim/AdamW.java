package org.metaopt.core.optim;

import org.metaopt.core.kernel.Subnormals;

import java.util.Arrays;

/**
 * AdamW, Adam with decoupled weight decay (Loshchilov &amp; Hutter 2019, Algorithm 2, with the schedule
 * multiplier folded into the learning rate as PyTorch and Optax do): with {@code t} the 1-based step,
 * {@code m = b1 * m + (1 - b1) * g; v = b2 * v + (1 - b2) * g^2; m_hat = m / (1 - b1^t);
 * v_hat = v / (1 - b2^t); w -= lr * (m_hat / (sqrt(v_hat) + eps) + wd * w)}.
 *
 * <p>The decay term uses the parameters from before the step and never enters the moments, which is what
 * separates it from Adam with an L2 penalty in the gradient. Epsilon is added to the bias-corrected
 * {@code sqrt(v_hat)} as in the paper and PyTorch, so with {@code wd = 0} this differs from {@link Adam}
 * (ND4J's ordering) only in the effective epsilon. ND4J 1.0.0-M2.1 has no AdamW to compare against. A
 * schedule's factor ({@link LearningRateScaled}) multiplies {@code lr}, and with it the decay, as in PyTorch. Not
 * thread-safe: one instance per optimizee run.
 */
public final class AdamW implements LearningRateScaled {

  /** PyTorch's {@code AdamW} default weight decay. */
  public static final double DEFAULT_WEIGHT_DECAY = 0.01;

  /**
   * AdamW's hyperparameters.
   *
   * @param learningRate step size, finite and {@code > 0}
   * @param beta1 decay of the first moment, in {@code [0, 1)}
   * @param beta2 decay of the second moment, in {@code [0, 1)}
   * @param epsilon added to {@code sqrt(v_hat)}, finite and {@code > 0}
   * @param weightDecay decoupled decay rate {@code wd}, finite and {@code >= 0}; multiplied by the learning rate
   */
  public record Config(double learningRate, double beta1, double beta2, double epsilon, double weightDecay) {
    public Config {
      Checks.positive("learningRate", learningRate);
      Checks.decay("beta1", beta1);
      Checks.decay("beta2", beta2);
      Checks.positive("epsilon", epsilon);
      Checks.nonNegative("weightDecay", weightDecay);
    }

    /** Adam's defaults (beta1 0.9, beta2 0.999, epsilon 1e-8) and weight decay 0.01 at the given rate. */
    public static Config defaults(double learningRate) {
      return new Config(
          learningRate, Adam.DEFAULT_BETA1, Adam.DEFAULT_BETA2, Adam.DEFAULT_EPSILON, DEFAULT_WEIGHT_DECAY);
    }
  }

  private final Config config;
  private final float lr;
  private final float b1;
  private final float b2;
  private final float eps;
  private final float wd;
  private final float[] m;
  private final float[] v;
  private long t;
  private float factor = 1f;

  public AdamW(Config config, int size) {
    this.config = config;
    this.lr = (float) config.learningRate();
    this.b1 = (float) config.beta1();
    this.b2 = (float) config.beta2();
    this.eps = (float) config.epsilon();
    this.wd = (float) config.weightDecay();
    this.m = new float[Checks.size(size)];
    this.v = new float[size];
  }

  @Override
  public void step(float[] params, float[] grad) {
    Checks.sizes("adamw", m.length, params, grad);
    t++;
    update(params, grad, m, v, 0, m.length, t, lr * factor, b1, b2, eps, wd);
  }

  /**
   * AdamW's update of coordinates {@code [from, to)}: the moments {@code m}, {@code v} and the parameters in place,
   * at 1-based step {@code t} (its bias correction). {@link Muon}'s AdamW branch runs it over its non-hidden
   * ranges; with {@code wd = 0} it is Adam with epsilon outside the square root.
   */
  static void update(float[] params, float[] grad, float[] m, float[] v, int from, int to, long t, float lr,
      float b1, float b2, float eps, float wd) {
    // b1, b2 as the float values the moment updates use, so the correction removes exactly their bias
    final float mScale = (float) (1 / (1 - Math.pow(b1, t)));
    final float vScale = (float) (1 / (1 - Math.pow(b2, t)));
    final float c1 = 1f - b1;
    final float c2 = 1f - b2;
    for (int i = from; i < to; i++) {
      float g = grad[i];
      float mi = (b1 * m[i] + c1 * g + Subnormals.MOMENT) - Subnormals.MOMENT; // no subnormal state: Subnormals
      float vi = (b2 * v[i] + c2 * g * g + Subnormals.SQUARE) - Subnormals.SQUARE;
      m[i] = mi;
      v[i] = vi;
      float w = params[i];
      float adam = (mi * mScale) / ((float) Math.sqrt(vi * vScale) + eps);
      params[i] = w - lr * (adam + wd * w);
    }
  }

  @Override
  public void reset() {
    Arrays.fill(m, 0f);
    Arrays.fill(v, 0f);
    t = 0;
    factor = 1f;
  }

  @Override
  public void scaleLearningRate(float factor) {
    this.factor = LearningRateScaled.checkFactor(factor);
  }

  @Override
  public String name() {
    return "adamw";
  }

  @Override
  public double learningRate() {
    return config.learningRate();
  }

  public Config config() {
    return config;
  }
}
