package org.metaopt.core.task.nets;

import org.metaopt.core.data.DataSplits;

/**
 * Multinomial logistic (softmax) regression: an {@link MlpTask} with no hidden layer whose tensors are named
 * {@code w} ({@code [numFeatures, numClasses]}) and {@code b} ({@code [numClasses]}); the loss is convex.
 * Weights start N(0, 1/numFeatures), biases 0. Exact gradient and Hessian-vector product. Not thread-safe.
 */
public final class LogisticTask extends MlpTask {

  public LogisticTask(String name, DataSplits splits, int batchSize) {
    super(name, splits, new int[0], Activation.RELU, batchSize, new String[] {"w", "b"});
  }
}
