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
}
