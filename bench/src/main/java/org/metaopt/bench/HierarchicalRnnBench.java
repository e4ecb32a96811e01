package org.metaopt.bench;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.metaopt.core.lopt.hrnn.HierarchicalRnnOptimizer;
import org.metaopt.core.optim.Adam;
import org.metaopt.core.optim.Optimizer;
import org.metaopt.core.tensor.ParamLayout;
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
 * One hierarchical-rnn update on {@code n} float parameters (split into an MLP-like weight matrix and bias,
 * {@code [n - n/100, ...]} and {@code [n/100]}) against one {@link Adam} update on the same vector.
 *
 * <p>Each JMH thread owns its own state; the optimizers keep stepping on the same gradient.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgs = {"-Xmx2g", "--add-modules", "jdk.incubator.vector"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class HierarchicalRnnBench {

  @Param({"1000", "100000", "1000000"})
  public int n;

  private float[] params;
  private float[] grad;
  private Optimizer hrnn;
  private Adam adam;

  @Setup
  public void setUp() {
    Random r = new Random(42);
    params = new float[n];
    grad = new float[n];
    for (int i = 0; i < n; i++) {
      params[i] = (float) r.nextGaussian();
      grad[i] = (float) (r.nextGaussian() * 1e-2);
    }
    int bias = Math.max(1, n / 100);
    ParamLayout layout = ParamLayout.builder().add("w", n - bias).add("b", bias).build();
    HierarchicalRnnOptimizer lopt = new HierarchicalRnnOptimizer();
    hrnn = lopt.create(lopt.initialMetaParams(1), layout, 0);
    adam = new Adam(Adam.Config.defaults(1e-3), n);
  }

  @Benchmark
  public void hierarchicalRnn() {
    hrnn.step(params, grad);
  }

  @Benchmark
  public void adam() {
    adam.step(params, grad);
  }
}
