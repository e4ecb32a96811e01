package org.metaopt.bench;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.metaopt.core.optim.Adam;
import org.metaopt.core.optim.Optimizer;
import org.metaopt.core.tensor.ParamLayout;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One update of each learned optimizer against one {@link Adam} update, on {@code n} float parameters laid out
 * as a weight matrix plus a bias (so per-tensor work such as mlp-lopt's normalization is exercised).
 * {@code optimizer} is {@code adam}, an architecture name (default hyperparameters, seed-1 initial θ) or a shipped
 * version file (see {@link BenchOptimizers}); compare each row with the {@code adam} row of the same {@code n}.
 *
 * <p>Each JMH thread owns its own state.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgs = {"-Xmx2g", "--add-modules", "jdk.incubator.vector"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class LearnedOptimizerBench {

  @Param({"1000", "100000", "1000000"})
  public int n;

  @Param({"adam", "step-size", "mlp-lopt", "pretrained/mlp-lopt-h4.json", "l2o-dm", "rnnprop"})
  public String optimizer;

  private float[] params;
  private float[] grad;
  private Optimizer opt;

  @Setup(Level.Trial)
  public void setUp() {
    Random r = new Random(42);
    params = new float[n];
    grad = new float[n];
    for (int i = 0; i < n; i++) {
      params[i] = (float) (r.nextGaussian() * 0.1);
      grad[i] = (float) (r.nextGaussian() * 1e-2);
    }
    int bias = Math.max(1, n / 100);
    ParamLayout layout = ParamLayout.builder().add("weight", n - bias).add("bias", bias).build();
    opt = optimizer.equals("adam") ? new Adam(Adam.Config.defaults(1e-3), n)
        : BenchOptimizers.create(optimizer, layout, 10_000, 1);
  }

  @Benchmark
  public float step() {
    opt.step(params, grad);
    return params[0];
  }
}
