package org.metaopt.core.optim;

import org.metaopt.core.kernel.Subnormals;

import java.util.Arrays;

/**
 * Nesterov momentum exactly as ND4J's {@code NesterovsUpdater} computes it (the cs231n form of Sutskever et
 * al. 2013): {@code v' = mu * v - lr * g; w += -mu * v + (1 + mu) * v'}.
 *
 * <p>ND4J writes the same thing as an update subtracted from the parameters, {@code u = mu * v - (1 + mu) * v';
 * w -= u}; we evaluate it in that order, in float, so results agree with ND4J to rounding. Unlike {@link
 * Momentum}, the learning rate sits inside the velocity, so a schedule's factor ({@link LearningRateScaled}) scales
 * each step's new gradient term and the velocity keeps the rates it was built with. Not thread-safe: one instance per
 * optimizee run.
 */
public final class Nesterov implements LearningRateScaled {

  /** ND4J's {@code Nesterovs.DEFAULT_NESTEROV_MOMENTUM}. */
  public static final double DEFAULT_MOMENTUM = 0.9;

  /**
   * Nesterov momentum's hyperparameters.
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
  private float factor = 1f;

  public Nesterov(Config config, int size) {
    this.config = config;
    this.lr = (float) config.learningRate();
    this.mu = (float) config.momentum();
    this.velocity = new float[Checks.size(size)];
  }

  @Override
  public void step(float[] params, float[] grad) {
    Checks.sizes("nesterov", velocity.length, params, grad);
    final float lr = this.lr * factor;
    final float mu = this.mu;
    final float muT = -mu - 1f;
    final float[] v = velocity;
    for (int i = 0; i < v.length; i++) {
      float prev = mu * v[i];
      float vi = (prev - lr * grad[i] + Subnormals.MOMENT) - Subnormals.MOMENT; // see Subnormals
      v[i] = vi;
      params[i] -= prev + muT * vi;
    }
  }

  @Override
  public void reset() {
    Arrays.fill(velocity, 0f);
    factor = 1f;
  }

  @Override
  public void scaleLearningRate(float factor) {
    this.factor = LearningRateScaled.checkFactor(factor);
  }

  @Override
  public String name() {
    return "nesterov";
  }

  @Override
  public double learningRate() {
    return config.learningRate();
  }

  public Config config() {
    return config;
  }
}
