package org.metaopt.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.metaopt.core.kernel.DenseOps;
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
 * Whether skipping zero inputs pays: {@link DenseOps#addMatmul} (zero test) against
 * {@link DenseOps#addMatmulDense} on a 128x784 by 784x128 product whose left operand has the given fraction of
 * zeros (Fashion-MNIST pixels are about half zeros). State is per benchmark thread.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgs = {"-Xmx2g", "--add-modules", "jdk.incubator.vector"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class DenseOpsBench {
  private static final int ROWS = 128;
  private static final int IN = 784;
  private static final int OUT = 128;

  @Param({"0.0", "0.5"})
  public double zeroFraction;

  private float[] in;
  private float[] w;
  private float[] out;

  @Setup
  public void setup() {
    SplittableRandom rng = new SplittableRandom(1);
    in = new float[ROWS * IN];
    for (int i = 0; i < in.length; i++) {
      in[i] = rng.nextDouble() < zeroFraction ? 0f : (float) rng.nextGaussian();
    }
    w = new float[IN * OUT];
    for (int i = 0; i < w.length; i++) {
      w[i] = (float) rng.nextGaussian();
    }
    out = new float[ROWS * OUT];
  }

  @Benchmark
  public float[] skipZeros() {
    DenseOps.addMatmul(in, ROWS, IN, w, 0, OUT, out);
    return out;
  }

  @Benchmark
  public float[] noSkip() {
    DenseOps.addMatmulDense(in, ROWS, IN, w, 0, OUT, out);
    return out;
  }
}
