package org.metaopt.core.optim;

import org.metaopt.core.kernel.Subnormals;

import java.util.Arrays;

/**
 * RMSProp (Hinton, Coursera lecture 6e) exactly as ND4J's {@code RmsPropUpdater} computes it:
 * {@code s = decay * s + (1 - decay) * g^2; w -= lr * g / (sqrt(s) + eps)}.
 *
 * <p>Two ND4J details differ from some textbook statements: epsilon is added <em>outside</em> the square root
 * (as in PyTorch; TensorFlow adds it inside), and the running average {@code s} starts at {@code eps} rather
 * than zero (ND4J initialises its state view to epsilon); {@link #reset()} restores that. No momentum, not
 * centred. Not thread-safe: one instance per optimizee run.
 */
public final class RmsProp implements Optimizer {

  /** ND4J's {@code RmsProp.DEFAULT_RMSPROP_RMSDECAY}. */
  public static final double DEFAULT_DECAY = 0.95;
  /** ND4J's {@code RmsProp.DEFAULT_RMSPROP_EPSILON}. */
  public static final double DEFAULT_EPSILON = 1e-8;

  /**
   * RMSProp's hyperparameters.
   *
   * @param learningRate step size, finite and {@code > 0}
   * @param decay decay of the running mean square, in {@code [0, 1)}
   * @param epsilon added to the root mean square, finite and {@code > 0}; also the initial mean square
   */
  public record Config(double learningRate, double decay, double epsilon) {
    public Config {
      Checks.positive("learningRate", learningRate);
      Checks.decay("decay", decay);
      Checks.positive("epsilon", epsilon);
    }

    /** ND4J's defaults (decay {@value #DEFAULT_DECAY}, epsilon {@value #DEFAULT_EPSILON}) at the given rate. */
    public static Config defaults(double learningRate) {
      return new Config(learningRate, DEFAULT_DECAY, DEFAULT_EPSILON);
    }
  }

  private final Config config;
  private final float lr;
  private final float decay;
  private final float eps;
  private final float[] meanSquare;

  public RmsProp(Config config, int size) {
    this.config = config;
    this.lr = (float) config.learningRate();
    this.decay = (float) config.decay();
    this.eps = (float) config.epsilon();
    this.meanSquare = new float[Checks.size(size)];
    reset();
  }

  @Override
  public void step(float[] params, float[] grad) {
    Checks.sizes("rmsprop", meanSquare.length, params, grad);
    final float lr = this.lr;
    final float decay = this.decay;
    final float oneMinusDecay = 1f - decay;
    final float eps = this.eps;
    final float[] s = meanSquare;
    for (int i = 0; i < s.length; i++) {
      float g = grad[i];
      float si = (s[i] * decay + g * g * oneMinusDecay + Subnormals.SQUARE) - Subnormals.SQUARE; // see Subnormals
      s[i] = si;
      params[i] -= (lr * g) / ((float) Math.sqrt(si) + eps);
    }
  }

  @Override
  public void reset() {
    Arrays.fill(meanSquare, eps);
  }

  @Override
  public String name() {
    return "rmsprop";
  }

  @Override
  public double learningRate() {
    return config.learningRate();
  }

  public Config config() {
    return config;
  }
}
