package org.metaopt.core.task;

import java.util.SplittableRandom;
import org.metaopt.core.tensor.ParamLayout;

/**
 * An optimizee: a differentiable objective over a flat parameter vector with a named tensor structure.
 *
 * <p>Implementations keep scratch buffers (activations, partial derivatives) so that a training step does
 * not allocate: an instance is <b>not thread-safe</b>; give each thread its own (they may share immutable
 * data sets). All methods are deterministic functions of their arguments.
 */
public interface Task {

  /** A short name for logs and reports. */
  String name();

  /** The tensor structure of the parameters. */
  ParamLayout layout();

  /** Number of parameters, {@code layout().size()}. */
  default int numParams() {
    return layout().size();
  }

  /** Fresh initial parameters drawn from {@code seed}. */
  float[] initialParams(long seed);

  /** Draws the minibatch for one training step. */
  Batch sampleBatch(SplittableRandom rng);

  /**
   * Loss on {@code batch} at {@code params}; writes the gradient into {@code grad} (overwritten, length
   * {@link #numParams()}).
   */
  double lossAndGradient(float[] params, Batch batch, float[] grad);

  /** Loss on {@code batch} without the gradient. */
  double loss(float[] params, Batch batch);

  /**
   * Hessian-vector product {@code out = H(params; batch) v}: exact where the task derives it, central finite
   * differences of gradients otherwise (see {@link #hasExactHessianVectorProduct()}).
   */
  void hessianVectorProduct(float[] params, Batch batch, float[] v, float[] out);

  /** True when {@link #hessianVectorProduct} is exact rather than a finite-difference estimate. */
  boolean hasExactHessianVectorProduct();

  /** Loss (and accuracy for classifiers) over a whole split. Tasks without data ignore the split. */
  Evaluation evaluate(float[] params, Split split);

  /** True when {@link #evaluate} reports accuracy. */
  boolean isClassifier();

  /** True when the task has a separate split of that kind (else {@link #evaluate} uses the train split). */
  default boolean hasSplit(Split split) {
    return split == Split.TRAIN;
  }
}
