package org.metaopt.core.optim;

/**
 * A stateful first-order optimizer for one parameter vector: each {@link #step} reads a gradient and updates
 * the parameters in place.
 *
 * <p>State (moments, step count, RNN hidden state) lives in flat arrays owned by the instance, sized at
 * creation from the parameter layout. Not thread-safe: one instance per optimizee run.
 */
public interface Optimizer {

  /** Updates {@code params} in place from {@code grad}; neither array is retained. */
  void step(float[] params, float[] grad);

  /** Forgets all state, as if newly created. */
  void reset();

  /** The name this optimizer is known by ({@code adam}, {@code sgd}, a version file's architecture...). */
  String name();

  /** The base learning rate, or {@code NaN} when the optimizer has none. */
  double learningRate();

  /**
   * Whether this optimizer wants its next gradient taken somewhere other than at the parameters it maintains
   * (a learned look-ahead, the hierarchical RNN's attention). When true, a training loop calls
   * {@link #gradientPoint} before each gradient, takes the gradient there, and evaluates the objective it reports
   * at the parameters themselves. Default: false.
   */
  default boolean looksAhead() {
    return false;
  }

  /**
   * Writes into {@code out} the point at which the next gradient is to be taken, given the current parameters;
   * default (and before the first step): {@code params} itself. Neither array is retained.
   */
  default void gradientPoint(float[] params, float[] out) {
    System.arraycopy(params, 0, out, 0, params.length);
  }
}
