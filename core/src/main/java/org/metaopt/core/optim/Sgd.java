package org.metaopt.core.optim;

/**
 * Plain stochastic gradient descent, {@code w -= lr * g}, identical to ND4J's {@code SgdUpdater}.
 *
 * <p>Stateless apart from its size. Not thread-safe (by the {@link Optimizer} contract, one instance per run).
 */
public final class Sgd implements Optimizer {

  /**
   * SGD's hyperparameters.
   *
   * @param learningRate step size, finite and {@code > 0}
   */
  public record Config(double learningRate) {
    public Config {
      Checks.positive("learningRate", learningRate);
    }
  }

  private final Config config;
  private final int size;
  private final float lr;

  public Sgd(Config config, int size) {
    this.config = config;
    this.size = Checks.size(size);
    this.lr = (float) config.learningRate();
  }

  @Override
  public void step(float[] params, float[] grad) {
    Checks.sizes("sgd", size, params, grad);
    final float lr = this.lr;
    for (int i = 0; i < size; i++) {
      params[i] -= lr * grad[i];
    }
  }

  @Override
  public void reset() {
    // no state
  }

  @Override
  public String name() {
    return "sgd";
  }

  @Override
  public double learningRate() {
    return config.learningRate();
  }

  public Config config() {
    return config;
  }
}
