package org.metaopt.ops.bench;

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
 * Where ND4J starts to win: one layer's forward product plus weight-gradient product ({@code rows x in x out}
 * multiply-adds each), plain zero-skipping loops against {@code kernel.Gemm} forced to ND4J, inputs half zeros
 * like Fashion-MNIST pixels. Sets {@code Gemm.ND4J_MIN_MACS}. State is per benchmark thread.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgs = {"-Xmx2g", "-Dmetaopt.gemm=nd4j"})
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class GemmBench {
  /** rows x in x out. */
  @Param({"32x49x32", "64x196x64", "128x196x128", "64x784x64", "128x784x64", "128x784x128"})
  public String shape;

  private int rows;
  private int in;
  private int out;
  private float[] x;
  private float[] w;
  private float[] z;
  private float[] d;
  private float[] g;
  private org.metaopt.core.kernel.Gemm nd4j;

  @Setup
  public void setup() {
    String[] p = shape.split("x");
    rows = Integer.parseInt(p[0]);
    in = Integer.parseInt(p[1]);
    out = Integer.parseInt(p[2]);
    SplittableRandom r = new SplittableRandom(1);
    x = new float[rows * in];
    for (int i = 0; i < x.length; i++) {
      x[i] = r.nextBoolean() ? 0f : (float) r.nextGaussian();
    }
    w = new float[in * out];
    for (int i = 0; i < w.length; i++) {
      w[i] = (float) r.nextGaussian() * 0.05f;
    }
    z = new float[rows * out];
    d = new float[rows * out];
    for (int i = 0; i < d.length; i++) {
      d[i] = (float) r.nextGaussian();
    }
    g = new float[in * out];
    nd4j = new org.metaopt.core.kernel.Gemm();
  }

  @Benchmark
  public float plain() {
    DenseOps.addMatmul(x, rows, in, w, 0, out, z);
    DenseOps.addOuterProducts(x, rows, in, d, out, g, 0);
    return z[0] + g[0];
  }

  @Benchmark
  public float nd4j() {
    nd4j.addMatmul(x, rows, in, w, 0, out, z);
    nd4j.addOuterProducts(x, rows, in, d, out, g, 0);
    return z[0] + g[0];
  }
}
