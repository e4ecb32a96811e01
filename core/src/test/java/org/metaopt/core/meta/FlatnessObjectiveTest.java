package org.metaopt.core.meta;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.metaopt.core.flatness.FlatnessConfig;
import org.metaopt.core.flatness.FlatnessTerm;
import org.metaopt.core.flatness.FlatnessTerms;
import org.metaopt.core.spec.SpecException;
import org.metaopt.core.spec.SpecValidator;
import org.metaopt.core.spec.TaskFactory;
import org.metaopt.core.spec.TaskSpec;
import org.metaopt.core.task.Task;

/**
 * Flatness terms in the meta-objective: a diverged side keeps its divergence penalty, terms are normalized per
 * trajectory so tasks of very different curvature weigh alike, and a config's {@code record} list measures terms at
 * weight 0 through {@link Particle}.
 */
class FlatnessObjectiveTest {
  private static final double SIGMA = 0.01;
  /** Final loss plus a small trace weight: the weighting the seed-1 arms use. */
  private static final ObjectiveWeights TRACE = new ObjectiveWeights(1, 0, 0, 0.001, 0, 0, 0, 0, 0);

  @TempDir Path tmp;

  private static Segment segment(long seed, ObjectiveTerms pos, ObjectiveTerms neg, boolean divergedPos,
      FlatnessTerms start) {
    return new Segment(0, 0, 0, true, 0, EstimatorKind.FULL_ES, SIGMA, new long[] {seed}, null, 0, 1,
        new float[] {1}, new float[] {1}, new float[] {1}, new float[] {1}, pos, neg, divergedPos, false, null, start);
  }

  private static ObjectiveTerms terms(double finalLoss, double trace) {
    return new ObjectiveTerms(finalLoss, Double.NaN, Double.NaN, trace, Double.NaN, Double.NaN, 0, Double.NaN,
        Double.NaN);
  }

  private static FlatnessTerms start(double trace) {
    return new FlatnessTerms(trace, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
  }

  /** The estimate's coefficient {@code (L+ - L-) / 2σ}: the gradient divided by the segment's direction. */
  private static double coefficient(EsEstimator.Estimate e, long seed) {
    float[] z = new float[e.gradient().length];
    Perturbations.normal(seed, z);
    return e.gradient()[0] / z[0];
  }

  @Test
  void aDivergedSideWithAFlatnessWeightStillPaysItsDivergencePenalty() {
    // the + side blew up: capped loss 1000, and its flatness could not be measured (NaN)
    Segment s = segment(7, terms(1000, Double.NaN), terms(0.5, 12), true, start(20));
    EsEstimator.Estimate e = new EsEstimator(3).estimate(List.of(s), TRACE);
    assertEquals(1, e.used(), "the segment is used, not dropped");
    assertEquals(0, e.droppedNonFinite());
    assertEquals(1, e.flatnessCapped());
    double lossPos = 1000 + 0.001 * FlatnessNormalization.CAP;
    double lossNeg = 0.5 + 0.001 * (12 / 20.0);
    assertEquals((lossPos - lossNeg) / (2 * SIGMA), coefficient(e, 7), 1e-3 * lossPos / SIGMA);
  }

  @Test
  void aNonFiniteTermOnAHealthySideIsCappedAndCountedNotDropped() {
    Segment s = segment(8, terms(0.5, Double.POSITIVE_INFINITY), terms(0.5, 12), false, start(20));
    EsEstimator.Estimate e = new EsEstimator(3).estimate(List.of(s), TRACE);
    assertEquals(1, e.used());
    assertEquals(1, e.flatnessCapped());
    assertTrue(coefficient(e, 8) > 0, "the capped side reads as the less flat one");
  }

  @Test
  void normalizationMakesTasksOf100xCurvatureContributeAlike() {
    ObjectiveWeights traceOnly = new ObjectiveWeights(0, 0, 0, 1, 0, 0, 0, 0, 0);
    Segment flat = segment(9, terms(0.5, 12), terms(0.5, 10), false, start(20));
    Segment steep = segment(9, terms(0.5, 1200), terms(0.5, 1000), false, start(2000));
    double a = coefficient(new EsEstimator(3).estimate(List.of(flat), traceOnly), 9);
    double b = coefficient(new EsEstimator(3).estimate(List.of(steep), traceOnly), 9);
    assertEquals((12 - 10) / 20.0 / (2 * SIGMA), a, 1e-4 * Math.abs(a));
    assertEquals(a, b, 1e-5 * Math.abs(a), "100x the curvature, the same contribution");
    // segments recorded before start values existed keep the raw scale: there the steep task dominates 100x
    Segment flatRaw = segment(9, terms(0.5, 12), terms(0.5, 10), false, null);
    Segment steepRaw = segment(9, terms(0.5, 1200), terms(0.5, 1000), false, null);
    double ra = coefficient(new EsEstimator(3).estimate(List.of(flatRaw), traceOnly), 9);
    double rb = coefficient(new EsEstimator(3).estimate(List.of(steepRaw), traceOnly), 9);
    assertEquals(100, rb / ra, 1e-3);
  }

  @Test
  void theNormalizedTermOfARealTaskDoesNotDependOnItsCurvatureScale() {
    Task plain = mlp();
    Task steep = new ScaledLoss(mlp(), 100);
    FlatnessConfig config = FlatnessConfig.defaults(5).withTerms(EnumSet.of(FlatnessTerm.HESSIAN_TRACE));
    var probe = new org.metaopt.core.flatness.FlatnessProbe(config);
    float[] w0 = plain.initialParams(3);
    float[] w1 = w0.clone();
    for (int i = 0; i < w1.length; i++) {
      w1[i] *= 1.5f;
    }
    var batch = plain.sampleBatch(new java.util.SplittableRandom(4));
    double n = probe.measure(plain, w1, batch, 1).hessianTrace() / probe.measure(plain, w0, batch, 1).hessianTrace();
    double m = probe.measure(steep, w1, batch, 1).hessianTrace() / probe.measure(steep, w0, batch, 1).hessianTrace();
    assertEquals(n, m, 1e-4 * Math.abs(n));
  }

  @Test
  void recordedTermsAtWeightZeroAreMeasuredThroughTheParticle() throws Exception {
    Path config = tmp.resolve("meta.yaml");
    Files.writeString(tmp.resolve("tasks.yaml"), "name: t\ntasks: []\n");
    Files.writeString(config, "architecture: mlp-lopt\ntasks: tasks.yaml\nobjective:\n  meanLogLossRatio: 1\n"
        + "  record: [topEigenvalue, negLocalEntropy]\n");
    MetaTrainConfigs.Loaded loaded = MetaTrainConfigs.load(config);
    FlatnessConfig flatness = loaded.flatness();
    assertNotNull(flatness, "record alone turns measuring on");
    assertEquals(EnumSet.of(FlatnessTerm.TOP_EIGENVALUE, FlatnessTerm.NEG_LOCAL_ENTROPY_MC), flatness.terms());
    Particle p = new Particle(1, mlp(), null, new MomentumGdArchitecture(), new TruncationSchedule.Constant(20, 10),
        new Particle.Settings(EstimatorKind.PES, SIGMA, 1e3, false, flatness), 11);
    float[] theta = new MomentumGdArchitecture().initialMetaParams(0);
    for (int i = 0; i < 2; i++) {
      Segment s = p.next(theta, 0);
      for (ObjectiveTerms t : List.of(s.termsPos(), s.termsNeg())) {
        assertTrue(Double.isFinite(t.topEigenvalue()), "λmax recorded: " + t);
        assertTrue(Double.isFinite(t.negLocalEntropy()), "local entropy recorded: " + t);
        assertTrue(Double.isNaN(t.hessianTrace()), "the trace was not asked for");
      }
      assertTrue(Double.isFinite(s.flatnessStart().topEigenvalue()));
      assertTrue(Double.isFinite(s.flatnessStart().negLocalEntropyMc()));
    }
  }

  @Test
  void anUnknownRecordedTermIsAConfigErrorNamingTheChoices() throws Exception {
    Path config = tmp.resolve("bad.yaml");
    Files.writeString(tmp.resolve("tasks.yaml"), "name: t\ntasks: []\n");
    Files.writeString(config, "architecture: mlp-lopt\ntasks: tasks.yaml\nobjective:\n  record: [sharpness]\n");
    SpecException e = assertThrows(SpecException.class, () -> MetaTrainConfigs.load(config));
    assertTrue(e.getMessage().contains("objective.record names 'sharpness'"), e.getMessage());
    assertTrue(e.getMessage().contains("negLocalEntropySgld"), e.getMessage());
  }

  private static Task mlp() {
    TaskSpec raw = new TaskSpec("mlp-flat", "mlp", "synthetic", List.of(6), "tanh", 16, 64, 16, 32, null, 8, null,
        null, 10, 3L, null, null, null);
    return new TaskFactory(null).create(SpecValidator.resolve(raw, "test"));
  }

  /** A task whose loss, gradient and Hessian are {@code k} times another's. */
  private static final class ScaledLoss extends org.metaopt.core.task.ForwardingTask {
    private final float k;

    ScaledLoss(Task inner, float k) {
      super(inner);
      this.k = k;
    }

    @Override
    public double loss(float[] params, org.metaopt.core.task.Batch batch) {
      return k * inner.loss(params, batch);
    }

    @Override
    public double lossAndGradient(float[] params, org.metaopt.core.task.Batch batch, float[] grad) {
      double f = inner.lossAndGradient(params, batch, grad);
      for (int i = 0; i < grad.length; i++) {
        grad[i] *= k;
      }
      return k * f;
    }

    @Override
    public void hessianVectorProduct(float[] params, org.metaopt.core.task.Batch batch, float[] v, float[] out) {
      inner.hessianVectorProduct(params, batch, v, out);
      for (int i = 0; i < out.length; i++) {
        out[i] *= k;
      }
    }
  }
}
