package org.metaopt.core.task.nets;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.metaopt.core.UserError;
import org.metaopt.core.data.DataSplits;
import org.metaopt.core.data.Dataset;
import org.metaopt.core.kernel.SoftmaxCrossEntropy;
import org.metaopt.core.task.Batch;
import org.metaopt.core.task.Evaluation;
import org.metaopt.core.task.Split;
import org.metaopt.core.task.Task;

/**
 * The data side of a softmax classifier task: minibatch sampling, gathering rows into preallocated buffers in
 * chunks of at most {@code batchSize} rows, mean loss and gradient over any batch, and chunked evaluation of a
 * whole split. Subclasses supply the network for one chunk and an exact Hessian-vector product with the same
 * chunking and {@code 1/n} scaling (the R-operator over {@link #gather}ed chunks).
 *
 * <p>A batch with {@code indices == null} ({@link Batch#full}) means the whole training split. Losses are means
 * over the batch. Not thread-safe (shared scratch buffers): one instance per thread.
 */
public abstract class AbstractClassifierTask implements Task {
  private final String name;
  protected final DataSplits splits;
  protected final int numFeatures;
  protected final int numClasses;
  protected final int batchSize;
  /** Rows of the current chunk, {@code [batchSize, numFeatures]}. */
  protected final float[] x;
  /** Labels of the current chunk. */
  protected final int[] y;

  protected AbstractClassifierTask(String name, DataSplits splits, int batchSize) {
    if (splits == null) {
      throw new UserError("task '" + name + "': data splits are required");
    }
    Dataset train = splits.train();
    if (!train.isClassification()) {
      throw new UserError("task '" + name + "': data set '" + train.name() + "' has no class labels; "
          + "a classifier task needs a classification data set");
    }
    for (Dataset d : new Dataset[] {splits.validation(), splits.test()}) {
      if (d != null && (d.numFeatures() != train.numFeatures() || d.numClasses() != train.numClasses()
          || !d.isClassification())) {
        throw new UserError("task '" + name + "': split '" + d.name() + "' has " + d.numFeatures() + " features and "
            + d.numClasses() + " classes but the train split has " + train.numFeatures() + " and "
            + train.numClasses());
      }
    }
    if (batchSize < 1) {
      throw new UserError("task '" + name + "': batchSize " + batchSize + " must be >= 1");
    }
    this.name = name;
    this.splits = splits;
    this.numFeatures = train.numFeatures();
    this.numClasses = train.numClasses();
    this.batchSize = batchSize;
    this.x = new float[batchSize * numFeatures];
    this.y = new int[batchSize];
  }

  /** Summed (not mean) cross-entropy of the {@code rows} examples in {@link #x}/{@link #y}; keeps activations. */
  protected abstract double forward(float[] params, int rows);

  /** After {@link #forward}: {@code grad += scale *} the gradient of the summed chunk loss. */
  protected abstract void backward(float[] params, int rows, float scale, float[] grad);

  /** The logits of the last {@link #forward}, {@code [rows, numClasses]}. */
  protected abstract float[] logits();

  @Override
  public String name() {
    return name;
  }

  @Override
  public boolean isClassifier() {
    return true;
  }

  @Override
  public boolean hasSplit(Split split) {
    return dataset(split) != null;
  }

  public int batchSize() {
    return batchSize;
  }

  /** Draws {@code batchSize} training indices uniformly <em>with</em> replacement, then the batch seed. */
  @Override
  public Batch sampleBatch(SplittableRandom rng) {
    int n = splits.train().size();
    int[] idx = new int[batchSize];
    for (int i = 0; i < batchSize; i++) {
      idx[i] = rng.nextInt(n);
    }
    return new Batch(idx, rng.nextLong());
  }

  @Override
  public double lossAndGradient(float[] params, Batch batch, float[] grad) {
    checkLength("params", params);
    checkLength("grad", grad);
    Arrays.fill(grad, 0f);
    int n = rowsOf(batch);
    float scale = 1f / n;
    double sum = 0;
    for (int start = 0; start < n; start += batchSize) {
      int rows = gather(batch, start);
      sum += forward(params, rows);
      backward(params, rows, scale, grad);
    }
    return sum / n;
  }

  @Override
  public double loss(float[] params, Batch batch) {
    checkLength("params", params);
    int n = rowsOf(batch);
    double sum = 0;
    for (int start = 0; start < n; start += batchSize) {
      sum += forward(params, gather(batch, start));
    }
    return sum / n;
  }

  @Override
  public Evaluation evaluate(float[] params, Split split) {
    checkLength("params", params);
    Dataset d = dataset(split);
    if (d == null) {
      d = splits.train();
    }
    int n = d.size();
    double sum = 0;
    long correct = 0;
    for (int start = 0; start < n; start += batchSize) {
      int rows = Math.min(batchSize, n - start);
      System.arraycopy(d.features(), start * numFeatures, x, 0, rows * numFeatures);
      System.arraycopy(d.labels(), start, y, 0, rows);
      sum += forward(params, rows);
      correct += SoftmaxCrossEntropy.countCorrect(logits(), rows, numClasses, y);
    }
    return new Evaluation(sum / n, (double) correct / n);
  }

  /** Number of examples in {@code batch}: its indices, or the whole train split for {@link Batch#full}. */
  protected final int rowsOf(Batch batch) {
    int n = batch.isFull() ? splits.train().size() : batch.size();
    if (n == 0) {
      throw new IllegalArgumentException("task '" + name + "': empty batch");
    }
    return n;
  }

  /** Copies batch rows {@code [start, start + batchSize)} (clipped) into {@link #x}/{@link #y}; returns the count. */
  protected final int gather(Batch batch, int start) {
    Dataset train = splits.train();
    int rows = Math.min(batchSize, rowsOf(batch) - start);
    float[] f = train.features();
    int[] labels = train.labels();
    int[] idx = batch.indices();
    for (int r = 0; r < rows; r++) {
      int row = idx == null ? start + r : idx[start + r];
      System.arraycopy(f, row * numFeatures, x, r * numFeatures, numFeatures);
      y[r] = labels[row];
    }
    return rows;
  }

  protected final void checkLength(String what, float[] a) {
    if (a.length != numParams()) {
      throw new IllegalArgumentException("task '" + name + "': " + what + " has length " + a.length + ", expected "
          + numParams());
    }
  }

  private Dataset dataset(Split split) {
    return switch (split) {
      case TRAIN -> splits.train();
      case VALIDATION -> splits.validation();
      case TEST -> splits.test();
    };
  }
}
