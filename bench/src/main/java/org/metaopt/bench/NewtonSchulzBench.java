package org.metaopt.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.metaopt.core.kernel.Gemm;
import org.metaopt.core.kernel.NewtonSchulz;
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
 * One Newton–Schulz orthogonalization (Muon's and celo2's, {@link NewtonSchulz#STEPS} quintic iterations) of a
 * uniform [-1, 1) matrix of the shapes celo2 and Muon meet — a 784x128 first layer, the 256x128 and 128x32 layers of the
 * meta-training tasks — on each {@link Gemm} backend: {@code simd} (the Vector API kernel, the default since
 * 2026-12-08) and {@code auto} (ND4J's resident-array iterations from 2^18 multiply-adds, plain loops below).
 * The iterations take ~1,500 calls to reach C2's steady state, hence the long warm-up. State is per thread.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgs = {"-Xmx2g", "--add-modules", "jdk.incubator.vector", "-XX:+UseParallelGC"})
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 1)
public class NewtonSchulzBench {

  /** {@code ROWSxCOLS}. */
  @Param({"784x128", "256x128", "128x32"})
  public String shape;

  @Param({"SIMD", "AUTO"})
  public String backend;

  private NewtonSchulz ns;
  private float[] m;
  private float[] out;
  private int rows;
  private int cols;

  @Setup
  public void setup() {
    String[] rc = shape.split("x");
    rows = Integer.parseInt(rc[0]);
    cols = Integer.parseInt(rc[1]);
    SplittableRandom rng = new SplittableRandom(1);
    m = new float[rows * cols];
    for (int i = 0; i < m.length; i++) {
      m[i] = (float) (rng.nextDouble() * 2 - 1);
    }
    out = new float[m.length];
    ns = new NewtonSchulz(new Gemm(Gemm.Backend.valueOf(backend)));
  }

  @Benchmark
  public float[] orthogonalize() {
    ns.orthogonalize(m, 0, rows, cols, out, 0);
    return out;
  }
}
