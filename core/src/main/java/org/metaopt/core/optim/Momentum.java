package org.metaopt.core.optim;

import org.metaopt.core.kernel.Subnormals;

import java.util.Arrays;

/**
 * Heavy-ball (Polyak) momentum in the form PyTorch's {@code SGD(momentum=mu)} uses: {@code v = mu * v + g;
 * w -= lr * v}, with {@code v} starting at zero.
 *
 * <p>For a constant learning rate this is the same trajectory as {@code v = mu * v - lr * g; w += v}. See
 * {@link Nesterov} for the look-ahead variant. Not thread-safe: one instance per optimizee run.
 */
public final class Momentum implements Optimizer {

  /** ND4J's {@code Nesterovs.DEFAULT_NESTEROV_MOMENTUM}, also the usual heavy-ball default. */
  public static final double DEFAULT_MOMENTUM = 0.9;

  /**
   * Heavy-ball momentum's hyperparameters.
   *
   * @param learningRate step size, finite and {@code > 0}
   * @param momentum velocity decay {@code mu}, in {@code [0, 1)}
   */
  public record Config(double learningRate, double momentum) {
    public Config {
      Checks.positive("learningRate", learningRate);
      Checks.decay("momentum", momentum);
    }

    /** The defaults ({@value #DEFAULT_MOMENTUM}) at the given learning rate. */
    public static Config defaults(double learningRate) {
      return new Config(learningRate, DEFAULT_MOMENTUM);
    }
  }

  private final Config config;
  private final float lr;
  private final float mu;
  private final float[] velocity;

  public Momentum(Config config, int size) {
    this.config = config;
    this.lr = (float) config.learningRate();
    this.mu = (float) config.momentum();
    this.velocity = new float[Checks.size(size)];
  }

  @Override
  public void step(float[] params, float[] grad) {
    Checks.sizes("momentum", velocity.length, params, grad);
    final float lr = this.lr;
    final float mu = this.mu;
    final float[] v = velocity;
    for (int i = 0; i < v.length; i++) {
      float vi = (mu * v[i] + grad[i] + Subnormals.MOMENT) - Subnormals.MOMENT; // see Subnormals
      v[i] = vi;
      params[i] -= lr * vi;
    }
  }

  @Override
  public void reset() {
    Arrays.fill(velocity, 0f);
  }

  @Override
  public String name() {
    return "momentum";
  }

  @Override
  public double learningRate() {
    return config.learningRate();
  }

  public Config config() {
    return config;
  }
}
