package org.metaopt.bench;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.metaopt.core.data.DataSplits;
import org.metaopt.core.data.Dataset;
import org.metaopt.core.task.Batch;
import org.metaopt.core.task.nets.Activation;
import org.metaopt.core.task.nets.MlpTask;
import org.metaopt.core.tensor.TensorSpec;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One forward+backward pass of a one-hidden-layer ReLU MLP with softmax cross-entropy: {@link MlpTask} with
 * every product in flat loops ({@code plain}), with its default per-product backend choice ({@code auto}, see
 * {@code Gemm}), and the same computation written in ND4J (float32, {@code Nd4j.gemm}, preallocated products). Inputs are
 * Gaussian with half the entries zero, like Fashion-MNIST pixels. State is per benchmark thread.
 *
 * <p>Measured (µs; {@code -wi 3 -i 5 -f 1}, {@code OMP_NUM_THREADS=1}, shared 2-core machine, ±40%):
 * 784-128-10/128 plain 9952, auto 2517, nd4j 2534; 64-32-10/64 plain 186, auto 184, nd4j 1588.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgs = {"-Xmx2g", "--add-modules", "jdk.incubator.vector", "-XX:+UseParallelGC"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class MlpBench {

  /** {@code in-hidden-classes/batch}. */
  @Param({"784-128-10/128", "64-32-10/64"})
  public String size;

  private MlpTask task;
  private MlpTask autoTask;
  private float[] params;
  private float[] grad;
  private Batch batch;

  private INDArray x;
  private INDArray y;
  private INDArray w0;
  private INDArray b0;
  private INDArray w1;
  private INDArray b1;
  private INDArray z1;
  private INDArray z2;
  private INDArray gw0;
  private INDArray gw1;
  private INDArray da1;

  @Setup
  public void setup() {
    String[] parts = size.split("[-/]");
    int in = Integer.parseInt(parts[0]);
    int hidden = Integer.parseInt(parts[1]);
    int classes = Integer.parseInt(parts[2]);
    int n = Integer.parseInt(parts[3]);
    SplittableRandom rng = new SplittableRandom(1);
    float[] features = new float[n * in];
    for (int i = 0; i < features.length; i++) {
      features[i] = rng.nextBoolean() ? 0f : (float) rng.nextGaussian();
    }
    int[] labels = new int[n];
    Arrays.setAll(labels, i -> rng.nextInt(classes));
    Dataset train = Dataset.classification("bench", features, in, labels, classes);
    DataSplits splits = new DataSplits(train, null, null);
    task = withGemm("plain", () -> new MlpTask("bench", splits, new int[] {hidden}, Activation.RELU, n));
    autoTask = withGemm("auto", () -> new MlpTask("bench", splits, new int[] {hidden}, Activation.RELU, n));
    params = task.initialParams(2);
    grad = new float[params.length];
    int[] all = new int[n];
    Arrays.setAll(all, i -> i);
    batch = new Batch(all, 0);

    x = Nd4j.create(features, new long[] {n, in}, 'c');
    y = Nd4j.zeros(DataType.FLOAT, n, classes);
    for (int r = 0; r < n; r++) {
      y.putScalar(r, labels[r], 1f);
    }
    w0 = slice("w0", in, hidden);
    b0 = slice("b0", 1, hidden);
    w1 = slice("w1", hidden, classes);
    b1 = slice("b1", 1, classes);
    z1 = Nd4j.create(DataType.FLOAT, n, hidden);
    z2 = Nd4j.create(DataType.FLOAT, n, classes);
    gw0 = Nd4j.create(DataType.FLOAT, in, hidden);
    gw1 = Nd4j.create(DataType.FLOAT, hidden, classes);
    da1 = Nd4j.create(DataType.FLOAT, n, hidden);
  }

  private INDArray slice(String name, int rows, int cols) {
    TensorSpec t = task.layout().tensor(name);
    return Nd4j.create(Arrays.copyOfRange(params, t.offset(), t.end()), new long[] {rows, cols}, 'c');
  }

  /** Builds a task with {@code -Dmetaopt.gemm=backend} in force, then restores the property. */
  private static MlpTask withGemm(String backend, Supplier<MlpTask> make) {
    String old = System.getProperty("metaopt.gemm");
    System.setProperty("metaopt.gemm", backend);
    try {
      return make.get();
    } finally {
      if (old == null) {
        System.clearProperty("metaopt.gemm");
      } else {
        System.setProperty("metaopt.gemm", old);
      }
    }
  }

  /** {@link MlpTask} with every product in the flat loops ({@code metaopt.gemm=plain}). */
  @Benchmark
  public double plain() {
    return task.lossAndGradient(params, batch, grad);
  }

  /** {@link MlpTask} with the default {@code auto} backend choice (ND4J only for large products). */
  @Benchmark
  public double auto() {
    return autoTask.lossAndGradient(params, batch, grad);
  }

  /** The whole step written in ND4J (the reference implementation). */
  @Benchmark
  public double nd4j() {
    int n = (int) x.rows();
    Nd4j.gemm(x, w0, z1, false, false, 1.0, 0.0);
    INDArray a1 = Transforms.relu(z1.addiRowVector(b0), true);
    Nd4j.gemm(a1, w1, z2, false, false, 1.0, 0.0);
    INDArray p = Transforms.softmax(z2.addiRowVector(b1), true);
    double loss = -Transforms.log(p, true).muli(y).sumNumber().doubleValue() / n;
    INDArray dz2 = p.subi(y).divi(n);
    Nd4j.gemm(a1, dz2, gw1, true, false, 1.0, 0.0);
    INDArray gb1 = dz2.sum(0);
    Nd4j.gemm(dz2, w1, da1, false, true, 1.0, 0.0);
    INDArray dz1 = da1.muli(Transforms.step(a1, true));
    Nd4j.gemm(x, dz1, gw0, true, false, 1.0, 0.0);
    INDArray gb0 = dz1.sum(0);
    return loss + gb0.getDouble(0) + gb1.getDouble(0);
  }
}
