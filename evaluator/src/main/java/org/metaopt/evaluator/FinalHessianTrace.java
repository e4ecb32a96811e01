package org.metaopt.evaluator;

import java.util.SplittableRandom;
import org.metaopt.core.flatness.HutchinsonTrace;

/**
 * The final-solution flatness evaluations report: the Hutchinson trace of the minibatch Hessian (5 Rademacher
 * probes) averaged over 4 training minibatches drawn from a fixed seed, at the final parameters.
 */
public final class FinalHessianTrace {
  private FinalHessianTrace() {}

  public static final SuiteEvaluator.FinalFlatness DEFAULT = (task, params) -> {
    HutchinsonTrace h = new HutchinsonTrace(5);
    SplittableRandom rng = new SplittableRandom(0x7ACEL);
    double sum = 0;
    for (int b = 0; b < 4; b++) {
      sum += h.estimate(task, params, task.sampleBatch(rng), 17 + b).trace();
    }
    return sum / 4;
  };
}
