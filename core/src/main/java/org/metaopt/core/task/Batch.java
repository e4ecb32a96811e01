package org.metaopt.core.task;

/**
 * The data one stochastic step sees: row indices into the task's training split ({@code null} for tasks
 * without data, such as quadratics), and a seed for any per-step noise (gradient-noise wrappers).
 *
 * <p>The same batch always gives the same loss and gradient, which is what finite-difference checks and
 * Hessian-vector products at a fixed minibatch rely on. Treat {@code indices} as read-only.
 */
public record Batch(int[] indices, long seed) {

  /** The full objective of a data-free task, with a noise seed. */
  public static Batch full(long seed) {
    return new Batch(null, seed);
  }

  public boolean isFull() {
    return indices == null;
  }

  /** Number of examples, or 0 for a data-free task. */
  public int size() {
    return indices == null ? 0 : indices.length;
  }
}
