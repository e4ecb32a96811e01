package org.metaopt.core.train;

import java.util.SplittableRandom;
import org.metaopt.core.optim.Optimizer;
import org.metaopt.core.task.Batch;
import org.metaopt.core.task.Evaluation;
import org.metaopt.core.task.Split;
import org.metaopt.core.task.Task;

/**
 * Trains a task with an optimizer for a number of steps and evaluates the result; stops early, without an
 * exception, when the run diverges (a non-finite loss or gradient, or the loss exceeding
 * {@code blowUpFactor} times its initial value).
 *
 * <p>An optimizer that {@linkplain Optimizer#looksAhead looks ahead} gets its gradient at its
 * {@linkplain Optimizer#gradientPoint gradient point}; the loss recorded and checked is the minibatch loss at the
 * parameters themselves (one extra forward pass per step), and the gradient at the look-ahead point must be finite.
 *
 * <p>Stateless apart from its settings; each call uses only its arguments, so one trainer may serve many
 * threads as long as each thread brings its own task and optimizer.
 */
public final class Trainer {
  /** Default blow-up factor: a loss 1000x its initial value counts as divergence. */
  public static final double DEFAULT_BLOW_UP_FACTOR = 1e3;

  private final double blowUpFactor;

  public Trainer() {
    this(DEFAULT_BLOW_UP_FACTOR);
  }

  public Trainer(double blowUpFactor) {
    if (!(blowUpFactor > 1)) {
      throw new IllegalArgumentException("blowUpFactor " + blowUpFactor + " must be > 1");
    }
    this.blowUpFactor = blowUpFactor;
  }

  /** Called after every step; may be null. */
  @FunctionalInterface
  public interface StepListener {
    void onStep(int step, double minibatchLoss);
  }

  /**
   * Trains from {@code task.initialParams(seed)}; minibatches are drawn from a generator seeded with
   * {@code seed}. Evaluates the final parameters on the train split and, when present, the test split.
   */
  public RunResult train(Task task, Optimizer optimizer, int steps, long seed, StepListener listener) {
    return train(task, optimizer, steps, seed, listener, true);
  }

  /** As {@link #train(Task, Optimizer, int, long, StepListener)}; {@code evaluate=false} skips the final evaluations. */
  public RunResult train(Task task, Optimizer optimizer, int steps, long seed, StepListener listener, boolean evaluate) {
    if (steps < 0) {
      throw new IllegalArgumentException("steps " + steps + " must be >= 0");
    }
    float[] w = task.initialParams(seed);
    float[] g = new float[w.length];
    float[] at = optimizer.looksAhead() ? new float[w.length] : w;
    float[] losses = new float[steps];
    SplittableRandom rng = new SplittableRandom(seed ^ 0x5DEECE66DL);
    double limit = Double.NaN;
    String reason = null;
    int done = 0;
    long t0 = System.nanoTime();
    for (int s = 0; s < steps; s++) {
      Batch batch = task.sampleBatch(rng);
      double loss = lossAndGradient(task, optimizer, w, at, batch, g);
      if (s == 0) {
        limit = blowUpFactor * Math.max(Math.abs(loss), 1e-3);
      }
      reason = check(loss, g, limit, s);
      if (reason != null) {
        break;
      }
      losses[s] = (float) loss;
      optimizer.step(w, g);
      done = s + 1;
      if (listener != null) {
        listener.onStep(s, loss);
      }
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    Evaluation train = null;
    Evaluation test = null;
    if (evaluate) {
      train = task.evaluate(w, Split.TRAIN);
      test = task.hasSplit(Split.TEST) ? task.evaluate(w, Split.TEST) : null;
      if (reason == null && !Double.isFinite(train.loss())) {
        reason = "final train loss is " + train.loss();
      }
    }
    double rate = seconds > 0 ? done / seconds : Double.NaN;
    return new RunResult(done, losses, train, test, reason != null, reason, rate, w);
  }

  /**
   * One training step's minibatch loss and gradient for {@code optimizer}: the gradient at its
   * {@linkplain Optimizer#gradientPoint gradient point} (written into {@code at}) and the loss at {@code w} when
   * {@code at != w}, else both at {@code w}. A non-finite loss at the look-ahead point is returned as is.
   */
  public static double lossAndGradient(Task task, Optimizer optimizer, float[] w, float[] at, Batch batch, float[] g) {
    if (at == w) {
      return task.lossAndGradient(w, batch, g);
    }
    optimizer.gradientPoint(w, at);
    double lossAt = task.lossAndGradient(at, batch, g);
    return Double.isFinite(lossAt) ? task.loss(w, batch) : lossAt;
  }

  private String check(double loss, float[] g, double limit, int step) {
    if (!Double.isFinite(loss)) {
      return "loss is " + loss + " at step " + step;
    }
    if (loss > limit) {
      return String.format("loss %.4g at step %d exceeds %.0fx its initial value", loss, step, blowUpFactor);
    }
    for (float x : g) {
      if (!Float.isFinite(x)) {
        return "gradient has " + x + " at step " + step;
      }
    }
    return null;
  }
}
