package org.metaopt.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.metaopt.core.optim.Optimizer;
import org.metaopt.core.task.Batch;
import org.metaopt.core.task.Task;
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
 * The phases of {@link TrainingStepBench}'s Adam step, each timed alone on the same task: {@code draw} (the
 * minibatch indices), {@code lossOnly} (gathering the rows and the forward pass), {@code lossAndGradient} (gather,
 * forward and backward), {@code adamUpdate} (the update on a fixed gradient) and the whole {@code step}. Backward is
 * {@code lossAndGradient - lossOnly}. Each method draws its own batches from the same seed. State is per thread.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgs = {"-Xmx3g", "--add-modules", "jdk.incubator.vector", "-XX:+UseParallelGC"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class StepPhasesBench {

  /** {@code IN-HIDDEN...-10/BATCH}, see {@link BenchTasks}. */
  @Param({"784-128-10/128", "784-1024-1024-10/128", "49-32-10/64"})
  public String shape;

  private Task task;
  private Optimizer adam;
  private float[] params;
  private float[] grad;
  private SplittableRandom rng;

  @Setup
  public void setup() {
    task = BenchTasks.mlp(shape);
    adam = BenchOptimizers.create("adam", task.layout(), 1000, 0);
    params = task.initialParams(0);
    grad = new float[params.length];
    rng = new SplittableRandom(1);
    task.lossAndGradient(params, task.sampleBatch(rng), grad);
  }

  @Benchmark
  public Batch draw() {
    return task.sampleBatch(rng);
  }

  @Benchmark
  public double lossOnly() {
    return task.loss(params, task.sampleBatch(rng));
  }

  @Benchmark
  public double lossAndGradient() {
    return task.lossAndGradient(params, task.sampleBatch(rng), grad);
  }

  @Benchmark
  public float[] adamUpdate() {
    adam.step(params, grad);
    return params;
  }

  @Benchmark
  public double step() {
    double loss = task.lossAndGradient(params, task.sampleBatch(rng), grad);
    adam.step(params, grad);
    return loss;
  }
}
