package org.metaopt.core.optim;

import org.metaopt.core.kernel.Subnormals;

import java.util.Arrays;

/**
 * Adam (Kingma &amp; Ba 2015) exactly as ND4J's {@code AdamUpdater} computes it: with {@code t} the 1-based
 * step, {@code m = b1 * m + (1 - b1) * g; v = b2 * v + (1 - b2) * g^2;
 * w -= alpha_t * m / (sqrt(v) + eps)} where {@code alpha_t = lr * sqrt(1 - b2^t) / (1 - b1^t)}.
 *
 * <p>This is the paper's "efficient" ordering (end of its section 2): bias correction folded into the step
 * size, so epsilon is added to the <em>uncorrected</em> {@code sqrt(v)}. It differs from PyTorch's
 * {@code m_hat / (sqrt(v_hat) + eps)} only in the effective epsilon ({@code eps * sqrt(1 - b2^t)}), which
 * matters only when {@code v} is near {@code eps^2}. Moments are float; {@code alpha_t} is computed once per
 * step in double from the float-rounded betas (as ND4J, which works in float throughout, effectively does). A
 * schedule's factor ({@link LearningRateScaled}) multiplies the learning rate in that computation. Not thread-safe:
 * one instance per optimizee run.
 */
public final class Adam implements LearningRateScaled {

  /** ND4J's {@code Adam.DEFAULT_ADAM_BETA1_MEAN_DECAY}. */
  public static final double DEFAULT_BETA1 = 0.9;
  /** ND4J's {@code Adam.DEFAULT_ADAM_BETA2_VAR_DECAY}. */
  public static final double DEFAULT_BETA2 = 0.999;
  /** ND4J's {@code Adam.DEFAULT_ADAM_EPSILON}. */
  public static final double DEFAULT_EPSILON = 1e-8;

  /**
   * Adam's hyperparameters.
   *
   * @param learningRate step size, finite and {@code > 0}
   * @param beta1 decay of the first moment, in {@code [0, 1)}
   * @param beta2 decay of the second moment, in {@code [0, 1)}
   * @param epsilon added to {@code sqrt(v)}, finite and {@code > 0}
   */
  public record Config(double learningRate, double beta1, double beta2, double epsilon) {
    public Config {
      Checks.positive("learningRate", learningRate);
      Checks.decay("beta1", beta1);
      Checks.decay("beta2", beta2);
      Checks.positive("epsilon", epsilon);
    }

    /** ND4J's defaults (beta1 0.9, beta2 0.999, epsilon 1e-8) at the given learning rate. */
    public static Config defaults(double learningRate) {
      return new Config(learningRate, DEFAULT_BETA1, DEFAULT_BETA2, DEFAULT_EPSILON);
    }
  }

  private final Config config;
  private final float b1;
  private final float b2;
  private final float eps;
  private final float[] m;
  private final float[] v;
  private long t;
  private float factor = 1f;

  public Adam(Config config, int size) {
    this.config = config;
    this.b1 = (float) config.beta1();
    this.b2 = (float) config.beta2();
    this.eps = (float) config.epsilon();
    this.m = new float[Checks.size(size)];
    this.v = new float[size];
  }

  @Override
  public void step(float[] params, float[] grad) {
    Checks.sizes("adam", m.length, params, grad);
    t++;
    // b1, b2 as the float values the moment updates use, so the correction removes exactly their bias
    final float alpha =
        (float) (config.learningRate() * factor * Math.sqrt(1 - Math.pow(b2, t)) / (1 - Math.pow(b1, t)));
    final float b1 = this.b1;
    final float b2 = this.b2;
    final float c1 = 1f - b1;
    final float c2 = 1f - b2;
    final float eps = this.eps;
    final float[] m = this.m;
    final float[] v = this.v;
    for (int i = 0; i < m.length; i++) {
      float g = grad[i];
      float mi = (b1 * m[i] + g * c1 + Subnormals.MOMENT) - Subnormals.MOMENT; // no subnormal state: Subnormals
      float vi = (b2 * v[i] + g * g * c2 + Subnormals.SQUARE) - Subnormals.SQUARE;
      m[i] = mi;
      v[i] = vi;
      params[i] -= (mi * alpha) / ((float) Math.sqrt(vi) + eps);
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
    return "adam";
  }

  @Override
  public double learningRate() {
    return config.learningRate();
  }

  public Config config() {
    return config;
  }

  /** Steps taken since creation or the last {@link #reset()}. */
  public long steps() {
    return t;
  }

  /** Copies of the first and second moments (for checkpoints). */
  public float[][] moments() {
    return new float[][] {m.clone(), v.clone()};
  }

  /** Restores a checkpoint taken with {@link #moments()} and {@link #steps()}. */
  public void restore(long steps, float[] firstMoment, float[] secondMoment) {
    if (firstMoment.length != m.length || secondMoment.length != v.length || steps < 0) {
      throw new IllegalArgumentException("checkpoint of " + firstMoment.length + "/" + secondMoment.length
          + " moments at step " + steps + " does not fit an Adam of size " + m.length);
    }
    System.arraycopy(firstMoment, 0, m, 0, m.length);
    System.arraycopy(secondMoment, 0, v, 0, v.length);
    t = steps;
  }
}
