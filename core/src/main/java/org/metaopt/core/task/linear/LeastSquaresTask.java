package org.metaopt.core.task.linear;

import java.util.SplittableRandom;
import org.metaopt.core.data.DataSplits;
import org.metaopt.core.data.Dataset;
import org.metaopt.core.task.Batch;
import org.metaopt.core.task.Evaluation;
import org.metaopt.core.task.Split;
import org.metaopt.core.task.Task;
import org.metaopt.core.tensor.ParamLayout;

/**
 * Linear least squares {@code f(w) = 1/(2n) sum_i (<w, x_i> - y_i)^2} over a regression data set (seed 2's
 * setting), started at {@code w = 0}. Full-batch when {@code batchSize <= 0} or at least the train size,
 * otherwise minibatches drawn with replacement. Gradient and Hessian-vector product are exact.
 *
 * <p>Holds a residual scratch buffer: not thread-safe. The data set is shared and read-only.
 */
public final class LeastSquaresTask implements Task {
  private final String name;
  private final DataSplits splits;
  private final int dim;
  private final int batchSize;
  private final ParamLayout layout;
  private final int[] allTrain;

  public LeastSquaresTask(String name, DataSplits splits, int batchSize) {
    if (splits.train().isClassification()) {
      throw new IllegalArgumentException("least squares needs a regression data set, got classes in " + splits.train().name());
    }
    this.name = name;
    this.splits = splits;
    this.dim = splits.train().numFeatures();
    int n = splits.train().size();
    this.batchSize = batchSize <= 0 || batchSize >= n ? n : batchSize;
    this.layout = ParamLayout.vector("w", dim);
    this.allTrain = new int[n];
    for (int i = 0; i < n; i++) {
      allTrain[i] = i;
    }
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public ParamLayout layout() {
    return layout;
  }

  /** Least squares starts at the origin, as in seed 2; the seed is ignored. */
  @Override
  public float[] initialParams(long seed) {
    return new float[dim];
  }

  @Override
  public Batch sampleBatch(SplittableRandom rng) {
    long noiseSeed = rng.nextLong();
    if (batchSize == allTrain.length) {
      return new Batch(allTrain, noiseSeed);
    }
    int[] idx = new int[batchSize];
    for (int i = 0; i < batchSize; i++) {
      idx[i] = rng.nextInt(allTrain.length);
    }
    return new Batch(idx, noiseSeed);
  }

  private double residual(float[] x, int row, float[] w, float y) {
    double s = 0;
    int off = row * dim;
    for (int j = 0; j < dim; j++) {
      s += (double) x[off + j] * w[j];
    }
    return s - y;
  }

  @Override
  public double lossAndGradient(float[] params, Batch batch, float[] grad) {
    Dataset d = splits.train();
    float[] x = d.features();
    java.util.Arrays.fill(grad, 0f);
    double loss = 0;
    int b = batch.size();
    for (int r : batch.indices()) {
      double res = residual(x, r, params, d.targets()[r]);
      loss += res * res;
      float scale = (float) (res / b);
      int off = r * dim;
      for (int j = 0; j < dim; j++) {
        grad[j] += scale * x[off + j];
      }
    }
    return 0.5 * loss / b;
  }

  @Override
  public double loss(float[] params, Batch batch) {
    Dataset d = splits.train();
    double loss = 0;
    for (int r : batch.indices()) {
      double res = residual(d.features(), r, params, d.targets()[r]);
      loss += res * res;
    }
    return 0.5 * loss / batch.size();
  }

  @Override
  public void hessianVectorProduct(float[] params, Batch batch, float[] v, float[] out) {
    Dataset d = splits.train();
    float[] x = d.features();
    java.util.Arrays.fill(out, 0f);
    int b = batch.size();
    for (int r : batch.indices()) {
      float xv = (float) (residual(x, r, v, 0f) / b);
      int off = r * dim;
      for (int j = 0; j < dim; j++) {
        out[j] += xv * x[off + j];
      }
    }
  }

  @Override
  public boolean hasExactHessianVectorProduct() {
    return true;
  }

  @Override
  public Evaluation evaluate(float[] params, Split split) {
    Dataset d = switch (split) {
      case TRAIN -> splits.train();
      case VALIDATION -> splits.validation() != null ? splits.validation() : splits.train();
      case TEST -> splits.test() != null ? splits.test() : splits.train();
    };
    double loss = 0;
    for (int r = 0; r < d.size(); r++) {
      double res = residual(d.features(), r, params, d.targets()[r]);
      loss += res * res;
    }
    return Evaluation.lossOnly(0.5 * loss / d.size());
  }

  @Override
  public boolean isClassifier() {
    return false;
  }

  @Override
  public boolean hasSplit(Split split) {
    return switch (split) {
      case TRAIN -> true;
      case VALIDATION -> splits.validation() != null;
      case TEST -> splits.test() != null;
    };
  }
}
