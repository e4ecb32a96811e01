package org.metaopt.stream.wire;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.metaopt.core.flatness.FlatnessTerms;
import org.metaopt.core.meta.EstimatorKind;
import org.metaopt.core.meta.ObjectiveTerms;
import org.metaopt.core.meta.Segment;
import org.metaopt.core.spec.TaskSpec;
import org.metaopt.core.version.OptimizerVersion;

/** Sample records for the wire tests. */
final class WireSamples {
  private WireSamples() {}

  static TaskSpec mlpSpec() {
    return new TaskSpec("fashion-mlp", "mlp", "fashion-mnist", List.of(128, 64), "relu", 128, 6000, 1000, 2000, 28,
        null, null, null, 200, 123456789012L, null, 10, 0.05);
  }

  static float[] randomFloats(SplittableRandom rng, int n) {
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = (float) rng.nextGaussian();
    }
    return x;
  }

  /** A PES segment of {@code steps} steps with a task, NaN terms and special floats; raw gradients when params > 0. */
  static Segment segment(int steps, int rawParams, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    float[] lossesPos = randomFloats(rng, steps);
    float[] lossesNeg = randomFloats(rng, steps);
    lossesPos[0] = Float.NaN;
    lossesNeg[steps - 1] = Float.NEGATIVE_INFINITY;
    ObjectiveTerms pos = new ObjectiveTerms(0.5, -1.25, Double.NaN, 12.5, Double.NaN, Double.MIN_VALUE, 0, 1.5, -0.25);
    ObjectiveTerms neg = new ObjectiveTerms(0.75, -1.0, 0.9, Double.NaN, 3e300, Double.NaN, 0, 1.75, Double.NaN);
    FlatnessTerms start = new FlatnessTerms(40.5, Double.NaN, 7.25, Double.NaN, -3.5);
    Segment.RawGradients raw = rawParams == 0 ? null : new Segment.RawGradients(rawParams,
        randomFloats(rng, steps * rawParams), randomFloats(rng, steps * rawParams));
    return new Segment(seed, 42, 3, false, 17, EstimatorKind.PES, 0.01,
        new long[] {Long.MIN_VALUE, -1, 0, 1, Long.MAX_VALUE, rng.nextLong()}, mlpSpec(), 60, 2.302585,
        lossesPos, lossesNeg, randomFloats(rng, steps), randomFloats(rng, steps), pos, neg, false, true, raw, start);
  }

  static OptimizerVersion version(int thetaLength, boolean withState) {
    SplittableRandom rng = new SplittableRandom(thetaLength);
    float[] theta = randomFloats(rng, thetaLength);
    OptimizerVersion.Provenance p = new OptimizerVersion.Provenance("c0ffee", "PES sigma=0.01",
        Map.of("meanLogLossRatio", 1.0, "hessianTrace", 0.001), List.of("quadratic", "fashion-mlp"), 7, "0.1.0-dev",
        "2026-11-21T00:00:00Z", 64, "trajectories-0@1200..1263");
    OptimizerVersion.MetaState ms = withState
        ? new OptimizerVersion.MetaState(12, randomFloats(rng, thetaLength), randomFloats(rng, thetaLength), 3) : null;
    Map<String, Object> hyper = Map.of("hiddenSize", 32, "hiddenLayers", 2, "expMult", 0.001, "stepMult", 0.001,
        "initGain", 1.0, "name", "x", "flag", true, "sizes", List.of(4, 8));
    return OptimizerVersion.of(5, 4, "mlp-lopt", hyper, theta, ms, p);
  }

  static EvaluationRecord evaluation() {
    List<EvaluationRecord.Row> rows = List.of(
        new EvaluationRecord.Row("fashion-mlp", "learned", Double.NaN, 0.41, 0.47, 0.83, 0.06, Double.NaN, 0, 3),
        new EvaluationRecord.Row("fashion-mlp", "adam", 1e-3, 0.43, 0.48, 0.82, 0.05, 17.5, 0, 3),
        new EvaluationRecord.Row("rosenbrock", "adam", 3e-2, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
            Double.NaN, 3, 3));
    return new EvaluationRecord(5, "ab".repeat(32), "mlp-lopt", "held-out", 3, rows, 2, 0.5, 1, 1.0, 0.97, 12.25,
        "2026-11-21T00:00:01Z");
  }
}
