package org.metaopt.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.metaopt.core.optim.Optimizer;
import org.metaopt.core.task.quadratic.QuadraticTask;
import org.junit.jupiter.api.Test;

class TrainerTest {

  /** Plain gradient descent, local to this test so the trainer is tested on its own. */
  private static Optimizer gd(double lr) {
    return new Optimizer() {
      @Override
      public void step(float[] params, float[] grad) {
        for (int i = 0; i < params.length; i++) {
          params[i] -= (float) (lr * grad[i]);
        }
      }

      @Override
      public void reset() {}

      @Override
      public String name() {
        return "gd";
      }

      @Override
      public double learningRate() {
        return lr;
      }
    };
  }

  @Test
  void convergesOnAQuadraticBelowTheStabilityLimit() {
    QuadraticTask q = new QuadraticTask("q", 20, 10, true, 1);
    RunResult r = new Trainer().train(q, gd(1.0), 200, 0, null);
    assertFalse(r.diverged());
    assertEquals(200, r.stepsCompleted());
    // Contraction per step is at most (1 - 1/kappa) = 0.9 in the slowest direction: loss < 0.5 * 0.81^200.
    assertTrue(r.train().loss() < 1e-15, "final loss " + r.train().loss());
    assertNull(r.test());
  }

  @Test
  void stopsEarlyWithDivergedInsteadOfThrowingWhenTheStepSizeExceedsTwoOverL() {
    QuadraticTask q = new QuadraticTask("q", 20, 10, true, 1);
    RunResult r = new Trainer().train(q, gd(2.5), 10_000, 0, null);
    assertTrue(r.diverged());
    assertTrue(r.stepsCompleted() < 10_000);
    assertTrue(r.divergenceReason().contains("exceeds"), r.divergenceReason());
  }

  @Test
  void nonFiniteLossIsDivergenceNotAnException() {
    QuadraticTask q = new QuadraticTask("q", 4, 1, false, 1);
    RunResult r = new Trainer(1e300).train(q, gd(1e30), 50, 0, null);
    assertTrue(r.diverged());
    assertTrue(r.divergenceReason().contains("Infinity") || r.divergenceReason().contains("NaN"), r.divergenceReason());
  }

  @Test
  void tailMeanAveragesTheLastStepsOnly() {
    RunResult r = new RunResult(4, new float[] {10, 10, 1, 3}, null, null, false, null, 1, new float[0]);
    assertEquals(2.0, r.tailMeanLoss(0.5), 1e-12);
  }

  @Test
  void bestWindowMeanIsTheLowestRunOfConsecutiveSteps() {
    // windows of 2: 7, 3.5, 1.5 (the lone 0 is not enough), 4.5, 5
    RunResult r = new RunResult(6, new float[] {10, 4, 3, 0, 9, 1}, null, null, false, null, 1, new float[0]);
    assertEquals(0.0, r.bestWindowMeanLoss(0.1), 1e-12, "a window of one step");
    assertEquals(1.5, r.bestWindowMeanLoss(2 / 6.0), 1e-12);
    assertEquals(4.5, r.bestWindowMeanLoss(1.0), 1e-12, "the whole run");
    assertTrue(Double.isNaN(new RunResult(0, new float[0], null, null, false, null, 1, new float[0])
        .bestWindowMeanLoss(0.1)));
  }

  @Test
  void aLookAheadOptimizerGetsTheGradientAtItsPointAndTheLossIsRecordedAtTheParameters() {
    QuadraticTask q = new QuadraticTask("q", 6, 10, true, 1);
    float[] shift = {0.5f, -0.25f, 1f, 0f, 2f, -1f};
    float[][] seen = new float[3][]; // the gradient the optimizer got, per step
    float[][] where = new float[3][]; // the parameters at each step
    int[] calls = {0};
    Optimizer ahead = new Optimizer() {
      @Override
      public void step(float[] params, float[] grad) {
        seen[calls[0]] = grad.clone();
        where[calls[0]++] = params.clone();
        for (int i = 0; i < params.length; i++) {
          params[i] -= 0.1f * grad[i];
        }
      }

      @Override
      public boolean looksAhead() {
        return true;
      }

      @Override
      public void gradientPoint(float[] params, float[] out) {
        for (int i = 0; i < params.length; i++) {
          out[i] = params[i] + shift[i];
        }
      }

      @Override
      public void reset() {}

      @Override
      public String name() {
        return "ahead";
      }

      @Override
      public double learningRate() {
        return 0.1;
      }
    };
    RunResult r = new Trainer().train(q, ahead, 3, 0, null);
    assertEquals(3, r.stepsCompleted());
    for (int s = 0; s < 3; s++) {
      float[] at = where[s].clone();
      for (int i = 0; i < at.length; i++) {
        at[i] += shift[i];
      }
      float[] want = new float[at.length];
      q.lossAndGradient(at, null, want);
      org.junit.jupiter.api.Assertions.assertArrayEquals(want, seen[s], "gradient at the look-ahead point, step " + s);
      assertEquals(q.loss(where[s], null), r.minibatchLosses()[s], 1e-6 * Math.abs(r.minibatchLosses()[s]), "loss at the parameters");
      assertTrue(Math.abs(q.loss(at, null) - r.minibatchLosses()[s]) > 1e-3, "the point differs from the parameters");
    }
  }
}
