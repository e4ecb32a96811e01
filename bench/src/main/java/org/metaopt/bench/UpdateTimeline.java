package org.metaopt.bench;

import java.util.SplittableRandom;
import org.metaopt.core.optim.Optimizer;
import org.metaopt.core.spec.SpecValidator;
import org.metaopt.core.spec.TaskFactory;
import org.metaopt.core.spec.TaskSpec;
import org.metaopt.core.task.Task;
import org.metaopt.core.train.Trainer;

/**
 * Trains the Fashion-MNIST MLP 784-128-10 (batch 128, the {@link TrainingStepBench} task) with one optimizer and
 * prints, every {@code every} steps, the mean time of forward + backward and of the update separately: what JMH's
 * per-call average hides when an optimizer slows down as its state evolves (subnormal moments after ~800 steps,
 * docs/benchmarks.md). Not JMH: one JVM, no forks, wall-clock {@code System.nanoTime}; read it as a timeline.
 *
 * <p>{@code java -cp "bench/target/metaopt-bench.jar:bench/target/lib/*" org.metaopt.bench.UpdateTimeline OPTIMIZER [STEPS [EVERY]]}
 * with OPTIMIZER as in {@link BenchOptimizers} ({@code adam}, a version file, {@code hierarchical-rnn:paramUnits=2}).
 */
public final class UpdateTimeline {
  private UpdateTimeline() {}

  public static void main(String[] args) {
    if (args.length < 1 || args.length > 3) {
      System.err.println("usage: UpdateTimeline OPTIMIZER [STEPS (3000)] [EVERY (150)]");
      System.exit(2);
    }
    int steps = args.length > 1 ? Integer.parseInt(args[1]) : 3000;
    int every = args.length > 2 ? Integer.parseInt(args[2]) : 150;
    TaskSpec spec = SpecValidator.resolve(new TaskSpec("fashion-mlp", "mlp", "fashion-mnist", java.util.List.of(128),
        "relu", 128, null, null, 1000, 28, null, null, null, 1000, 0L, null, null, null), "bench");
    Task task = new TaskFactory(null).create(spec);
    Optimizer opt = BenchOptimizers.create(args[0], task.layout(), 1000, 0);
    float[] params = task.initialParams(0);
    float[] grad = new float[params.length];
    float[] at = opt.looksAhead() ? new float[params.length] : params;
    SplittableRandom rng = new SplittableRandom(1);
    System.out.printf("%-6s | %-8s | %-17s | %-10s%n", "step", "loss", "fwd+bwd µs/step", "update µs/step");
    long forward = 0;
    long update = 0;
    for (int s = 1; s <= steps; s++) {
      long t0 = System.nanoTime();
      double loss = Trainer.lossAndGradient(task, opt, params, at, task.sampleBatch(rng), grad);
      long t1 = System.nanoTime();
      opt.step(params, grad);
      long t2 = System.nanoTime();
      forward += t1 - t0;
      update += t2 - t1;
      if (s % every == 0) {
        System.out.printf("%6d | %8.4f | %17.0f | %10.0f%n", s, loss, forward / (every * 1e3), update / (every * 1e3));
        forward = 0;
        update = 0;
      }
    }
  }
}
