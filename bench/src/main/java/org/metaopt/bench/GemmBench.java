package org.metaopt.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.metaopt.core.kernel.Gemm;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
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
 * The three {@link Gemm} products at one shape, on the Vector API kernel ({@code simd}, what the networks use),
 * forced plain and forced ND4J (copies included), plus ND4J's bare {@code gemm} on resident arrays to show what the
 * copies cost; sets {@code Gemm.ND4J_MIN_WORK} for the {@code auto} backend.
 * The left operand {@code X} of {@code X W} and {@code X^T D} is half zeros (like pixels and ReLU outputs).
 * State is per benchmark thread.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgs = {"-Xmx2g", "--add-modules", "jdk.incubator.vector", "-XX:+UseParallelGC"})
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class GemmBench {

  /** {@code rows-inDim-outDim}. */
  @Param({"128-784-128", "128-256-64", "128-128-64", "128-128-32", "64-128-32", "64-64-32", "128-128-10", "64-32-10",
      "128-784-1024", "128-1024-1024", "128-1024-10", "64-49-32"})
  public String shape;

  private int rows;
  private int in;
  private int out;
  private float[] x;
  private float[] w;
  private float[] d;
  private float[] y;
  private float[] g;
  private float[] dx;
  private final Gemm plain = new Gemm(Gemm.Backend.PLAIN);
  private final Gemm nd4j = new Gemm(Gemm.Backend.ND4J);
  private final Gemm simd = Gemm.fastest();
  private INDArray xa;
  private INDArray wa;
  private INDArray ya;

  @Setup
  public void setup() {
    String[] p = shape.split("-");
    rows = Integer.parseInt(p[0]);
    in = Integer.parseInt(p[1]);
    out = Integer.parseInt(p[2]);
    SplittableRandom rng = new SplittableRandom(3);
    x = new float[rows * in];
    for (int i = 0; i < x.length; i++) {
      x[i] = rng.nextBoolean() ? 0f : (float) rng.nextGaussian();
    }
    w = random(rng, in * out);
    d = random(rng, rows * out);
    y = new float[rows * out];
    g = new float[in * out];
    dx = new float[rows * in];
    xa = Nd4j.create(x, new long[] {rows, in}, 'c');
    wa = Nd4j.create(w, new long[] {in, out}, 'c');
    ya = Nd4j.create(DataType.FLOAT, rows, out);
  }

  private static float[] random(SplittableRandom rng, int n) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = (float) rng.nextGaussian();
    }
    return a;
  }

  @Benchmark
  public float forwardPlain() {
    plain.addMatmul(x, rows, in, w, 0, out, y);
    return y[0];
  }

  @Benchmark
  public float forwardSimd() {
    simd.addMatmul(x, rows, in, w, 0, out, y);
    return y[0];
  }

  @Benchmark
  public float forwardNd4j() {
    nd4j.addMatmul(x, rows, in, w, 0, out, y);
    return y[0];
  }

  @Benchmark
  public INDArray forwardNd4jNoCopy() {
    return Nd4j.gemm(xa, wa, ya, false, false, 1.0, 1.0);
  }

  @Benchmark
  public float weightGradPlain() {
    plain.addOuterProducts(x, rows, in, d, out, g, 0);
    return g[0];
  }

  @Benchmark
  public float weightGradSimd() {
    simd.addOuterProducts(x, rows, in, d, out, g, 0);
    return g[0];
  }

  @Benchmark
  public float weightGradNd4j() {
    nd4j.addOuterProducts(x, rows, in, d, out, g, 0);
    return g[0];
  }

  @Benchmark
  public float inputGradPlain() {
    plain.addMatmulTransposed(d, rows, out, w, 0, in, dx);
    return dx[0];
  }

  @Benchmark
  public float inputGradSimd() {
    simd.addMatmulTransposed(d, rows, out, w, 0, in, dx);
    return dx[0];
  }

  @Benchmark
  public float inputGradNd4j() {
    nd4j.addMatmulTransposed(d, rows, out, w, 0, in, dx);
    return dx[0];
  }
}
