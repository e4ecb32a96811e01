package org.metaopt.bench;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.metaopt.core.optim.Adam;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.GradientUpdater;
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
 * One Adam step on {@code n} float parameters: our fused {@code float[]} loop ({@link Adam}) against ND4J's
 * {@code AdamUpdater} as ND4J's own training loop uses it ({@code applyUpdater} then {@code params.subi}).
 *
 * <p>ND4J's updater overwrites the gradient with the update, so its benchmark first restores the gradient
 * ({@code assign}); {@link #nd4jGradientCopyOnly} measures that copy alone so it can be subtracted. Run with
 * {@code OMP_NUM_THREADS=1}: on 2 cores ND4J's default threading is slower. Each JMH thread owns its own state.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgs = {"-Xmx2g", "--add-modules", "jdk.incubator.vector"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class AdamBench {
  private static final double LR = 1e-3;

  @Param({"1000", "100000", "1000000"})
  public int n;

  private float[] params;
  private float[] grad;
  private Adam ours;

  private INDArray nd4jParams;
  private INDArray nd4jGradSource;
  private INDArray nd4jGrad;
  private GradientUpdater<?> nd4jAdam;
  private int iteration;

  @Setup
  public void setUp() {
    Random r = new Random(42);
    params = new float[n];
    grad = new float[n];
    for (int i = 0; i < n; i++) {
      params[i] = (float) r.nextGaussian();
      grad[i] = (float) (r.nextGaussian() * 1e-2);
    }
    ours = new Adam(Adam.Config.defaults(LR), n);

    org.nd4j.linalg.learning.config.Adam config = new org.nd4j.linalg.learning.config.Adam(
        LR, Adam.DEFAULT_BETA1, Adam.DEFAULT_BETA2, Adam.DEFAULT_EPSILON);
    nd4jParams = Nd4j.createFromArray(params.clone());
    nd4jGradSource = Nd4j.createFromArray(grad.clone());
    nd4jGrad = nd4jGradSource.dup();
    nd4jAdam = config.instantiate(Nd4j.zeros(DataType.FLOAT, 1, config.stateSize(n)), true);
    iteration = 0;
  }

  @Benchmark
  public void ours() {
    ours.step(params, grad);
  }

  @Benchmark
  public void nd4j() {
    nd4jGrad.assign(nd4jGradSource);
    nd4jAdam.applyUpdater(nd4jGrad, iteration++, 0);
    nd4jParams.subi(nd4jGrad);
  }

  @Benchmark
  public void nd4jGradientCopyOnly() {
    nd4jGrad.assign(nd4jGradSource);
  }
}
