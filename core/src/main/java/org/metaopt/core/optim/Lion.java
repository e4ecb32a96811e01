package org.metaopt.core.optim;

import org.metaopt.core.kernel.Subnormals;

import java.util.Arrays;

/**
 * Lion, EvoLved Sign Momentum (Chen et al. 2023, "Symbolic Discovery of Optimization Algorithms",
 * Algorithm 2): {@code c = b1 * m + (1 - b1) * g; w -= lr * (sign(c) + wd * w); m = b2 * m + (1 - b2) * g}.
 *
 * <p>Every coordinate moves by exactly {@code lr} (plus decay) per step, so Lion wants a learning rate 3-10x
 * smaller than AdamW's and a correspondingly larger weight decay. {@code sign(0) = 0}, as in the paper's
 * JAX and PyTorch code. Not thread-safe: one instance per optimizee run.
 */
public final class Lion implements Optimizer {

  /** The paper's default interpolation factor for the update direction. */
  public static final double DEFAULT_BETA1 = 0.9;
  /** The paper's default momentum decay. */
  public static final double DEFAULT_BETA2 = 0.99;
  /** No weight decay unless asked for, as in lion-pytorch; the paper tunes it per task. */
  public static final double DEFAULT_WEIGHT_DECAY = 0.0;

  /**
   * Lion's hyperparameters.
   *
   * @param learningRate step size, finite and {@code > 0}
   * @param beta1 interpolation between momentum and gradient for the update sign, in {@code [0, 1)}
   * @param beta2 momentum decay, in {@code [0, 1)}
   * @param weightDecay decoupled decay rate, finite and {@code >= 0}; multiplied by the learning rate
   */
  public record Config(double learningRate, double beta1, double beta2, double weightDecay) {
    public Config {
      Checks.positive("learningRate", learningRate);
      Checks.decay("beta1", beta1);
      Checks.decay("beta2", beta2);
      Checks.nonNegative("weightDecay", weightDecay);
    }

    /** The paper's defaults (beta1 0.9, beta2 0.99) and no weight decay at the given learning rate. */
    public static Config defaults(double learningRate) {
      return new Config(learningRate, DEFAULT_BETA1, DEFAULT_BETA2, DEFAULT_WEIGHT_DECAY);
    }
  }

  private final Config config;
  private final float lr;
  private final float b1;
  private final float b2;
  private final float wd;
  private final float[] m;

  public Lion(Config config, int size) {
    this.config = config;
    this.lr = (float) config.learningRate();
    this.b1 = (float) config.beta1();
    this.b2 = (float) config.beta2();
    this.wd = (float) config.weightDecay();
    this.m = new float[Checks.size(size)];
  }

  @Override
  public void step(float[] params, float[] grad) {
    Checks.sizes("lion", m.length, params, grad);
    final float lr = this.lr;
    final float b1 = this.b1;
    final float b2 = this.b2;
    final float c1 = 1f - b1;
    final float c2 = 1f - b2;
    final float wd = this.wd;
    final float[] m = this.m;
    for (int i = 0; i < m.length; i++) {
      float g = grad[i];
      float mi = m[i];
      float w = params[i];
      params[i] = w - lr * (Math.signum(b1 * mi + c1 * g) + wd * w);
      m[i] = (b2 * mi + c2 * g + Subnormals.MOMENT) - Subnormals.MOMENT; // see Subnormals
    }
  }

  @Override
  public void reset() {
    Arrays.fill(m, 0f);
  }

  @Override
  public String name() {
    return "lion";
  }

  @Override
  public double learningRate() {
    return config.learningRate();
  }

  public Config config() {
    return config;
  }
}
