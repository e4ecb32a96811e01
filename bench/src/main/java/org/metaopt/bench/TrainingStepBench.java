package org.metaopt.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.metaopt.core.optim.Optimizer;
import org.metaopt.core.task.Task;
import org.metaopt.core.train.Trainer;
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
 * A whole training step (minibatch draw, forward, backward, optimizer update) on real Fashion-MNIST: Adam against
 * each learned optimizer, on the MLPs {@code shape} names ({@link BenchTasks}: 784-128-10 at batch 128, the wide
 * 784-1024-1024-10 at batch 128, the small 49-32-10 at batch 64; pick with {@code -p shape=...}). The JAX/XLA peer
 * of the Adam step is {@code run-jax-step.sh} (docs/benchmarks.md, "The Adam step against JAX/XLA"). A parameter
 * ending in {@code .json} is a version file (the shipped {@code pretrained/*.json}, run from the repository root):
 * its architecture, hyperparameters and θ; an architecture name runs its initial θ at its defaults or at the
 * hyperparameters given after colons ({@code hierarchical-rnn:paramUnits=4}, see {@link BenchOptimizers}). An
 * optimizer that looks ahead (attention) gets its gradient at its look-ahead point and the loss at the parameters,
 * as in training: one more forward pass.
 * Needs the Fashion-MNIST files. State is per benchmark thread.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgs = {"-Xmx3g", "--add-modules", "jdk.incubator.vector", "-XX:+UseParallelGC"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class TrainingStepBench {

  @Param({"adam", "step-size", "pretrained/mlp-lopt.json", "pretrained/mlp-lopt-h4.json", "mlp-lopt", "l2o-dm",
      "rnnprop", "pretrained/hierarchical-rnn.json"})
  public String optimizer;

  /** {@code IN-HIDDEN...-10/BATCH}, see {@link BenchTasks}. */
  @Param({"784-128-10/128", "784-1024-1024-10/128", "49-32-10/64"})
  public String shape;

  private Task task;
  private Optimizer opt;
  private float[] params;
  /** Where the gradient is taken: {@code params} unless the optimizer looks ahead (then one more forward pass). */
  private float[] at;
  private float[] grad;
  private SplittableRandom rng;

  @Setup
  public void setup() {
    task = BenchTasks.mlp(shape);
    opt = BenchOptimizers.create(optimizer, task.layout(), 1000, 0);
    params = task.initialParams(0);
    grad = new float[params.length];
    at = opt.looksAhead() ? new float[params.length] : params;
    rng = new SplittableRandom(1);
  }

  @Benchmark
  public double step() {
    double loss = Trainer.lossAndGradient(task, opt, params, at, task.sampleBatch(rng), grad);
    opt.step(params, grad);
    return loss;
  }
}
