package org.metaopt.core.meta;

import org.metaopt.core.spec.SpecException;
import org.metaopt.core.spec.SpecLoader;
import org.metaopt.core.spec.MetaTrainConfig;
import org.metaopt.core.spec.SpecHash;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Map;
import org.metaopt.core.flatness.FlatnessConfig;
import org.metaopt.core.flatness.FlatnessTerm;

/**
 * Loads META.yaml files: strict binding, then defaults and range checks with messages naming file, field, value
 * and allowed range. Stateless.
 */
public final class MetaTrainConfigs {
  private MetaTrainConfigs() {}

  /** A loaded config with its resolved parts. */
  public record Loaded(Path file, MetaTrainConfig raw, String name, String architecture,
      Map<String, Object> hyperparameters, Path tasksFile, EstimatorKind estimator, double sigma,
      int particlesPerWorker, TruncationSchedule schedule, ObjectiveWeights weights, double metaLearningRate,
      double clipNorm, int windowSegments, int windowWaitMillis, int maxStaleness, int windowMaxSegments,
      Path heldOutSuite, int heldOutEvery, long seed, String configHash, double metaWeightDecay,
      boolean averageOverFamilies, boolean samplePerTrajectory, double minScale, double maxScale,
      boolean randomStartOffset, MetaLrSchedule metaSchedule) {

    /**
     * The flatness measures to take at the end of every segment (null when none): those with a positive weight and
     * those {@code objective.record} names.
     */
    public FlatnessConfig flatness() {
      java.util.EnumSet<FlatnessTerm> terms = java.util.EnumSet.noneOf(FlatnessTerm.class);
      double[] w = {weights.hessianTrace(), weights.topEigenvalue(), weights.negLocalEntropy(),
          weights.negLocalEntropySgld()};
      for (FlatnessTerm t : FlatnessTerm.values()) {
        if (w[t.ordinal()] > 0) {
          terms.add(t);
        }
      }
      if (raw.objective() != null && raw.objective().record() != null) {
        for (String name : raw.objective().record()) {
          terms.add(recordedTerm(name).orElseThrow());
        }
      }
      return terms.isEmpty() ? null : FlatnessConfig.defaults(seed).withTerms(terms);
    }
  }

  /** The names {@code objective.record} accepts, in {@link FlatnessTerm} order. */
  public static final java.util.List<String> RECORDABLE =
      java.util.List.of("hessianTrace", "topEigenvalue", "negLocalEntropy", "negLocalEntropySgld");

  private static java.util.Optional<FlatnessTerm> recordedTerm(String name) {
    int i = RECORDABLE.indexOf(name);
    return i < 0 ? java.util.Optional.empty() : java.util.Optional.of(FlatnessTerm.values()[i]);
  }

  public static Loaded load(Path file) {
    JsonNode root = SpecLoader.readTree(file);
    if (root == null || !root.isObject()) {
      throw new SpecException(file + ": expected a mapping of meta-training settings (see docs/meta-training.md)");
    }
    MetaTrainConfig c = SpecLoader.bind(file, root, "", MetaTrainConfig.class);
    String f = file + ": ";
    if (c.architecture() == null) {
      throw new SpecException(f + "architecture is missing; expected one of step-size, mlp-lopt, l2o-dm, rnnprop, "
          + "hierarchical-rnn");
    }
    if (c.tasks() == null) {
      throw new SpecException(f + "tasks is missing; expected the path of a task suite file (relative to " + file + ")");
    }
    Path base = file.toAbsolutePath().getParent();
    Path tasks = base.resolve(c.tasks()).normalize();
    var est = c.estimator() != null ? c.estimator() : new MetaTrainConfig.Estimator(null, null, null, null);
    EstimatorKind kind = switch (est.kind() == null ? "pes" : est.kind()) {
      case "pes" -> EstimatorKind.PES;
      case "full-es" -> EstimatorKind.FULL_ES;
      case "truncated-es" -> EstimatorKind.TRUNCATED_ES;
      default -> throw new SpecException(f + "estimator.kind = '" + est.kind() + "' is not allowed; expected pes, "
          + "full-es or truncated-es");
    };
    double sigma = range(f, "estimator.sigma", est.sigma(), 0.01, 1e-6, 10);
    int particles = range(f, "estimator.particlesPerWorker", est.particlesPerWorker(), 2, 1, 1024);
    var tr = c.truncation() != null ? c.truncation()
        : new MetaTrainConfig.Truncation(null, null, null, null, null, null, null, null);
    int truncLen = range(f, "truncation.truncationLength", tr.truncationLength(), 20, 1, 100_000);
    TruncationSchedule schedule = switch (tr.schedule() == null ? "constant" : tr.schedule()) {
      case "constant" -> new TruncationSchedule.Constant(
          range(f, "truncation.trajectoryLength", tr.trajectoryLength(), 200, 1, 10_000_000), truncLen);
      case "log-uniform" -> {
        int lo = range(f, "truncation.minLength", tr.minLength(), 50, 1, 10_000_000);
        int hi = range(f, "truncation.maxLength", tr.maxLength(), 1000, lo, 10_000_000);
        yield new TruncationSchedule.LogUniform(lo, hi, truncLen);
      }
      case "heavy-tailed" -> {
        int minSeg = range(f, "truncation.minSegment", tr.minSegment(), 50, 1, 100_000);
        yield new TruncationSchedule.HeavyTailed(range(f, "truncation.meanPartials", tr.meanPartials(), 40, 0.01, 1e4),
            range(f, "truncation.meanSegment", tr.meanSegment(), 200, 0.01, 1e6), minSeg, 400, Math.max(minSeg, 2000));
      }
      default -> throw new SpecException(f + "truncation.schedule = '" + tr.schedule() + "' is not allowed; expected "
          + "constant, log-uniform or heavy-tailed");
    };
    ObjectiveWeights weights = weights(f, c.objective());
    var mo = c.metaOptimizer() != null ? c.metaOptimizer()
        : new MetaTrainConfig.MetaOptimizer(null, null, null, null, null, null);
    var win = c.window() != null ? c.window() : new MetaTrainConfig.Window(null, null, null, null);
    int windowSegments = range(f, "window.segments", win.segments(), 8, 1, 100_000);
    Path heldOut = c.heldOut() != null && c.heldOut().suite() != null ? base.resolve(c.heldOut().suite()).normalize()
        : null;
    int heldOutEvery = c.heldOut() != null ? range(f, "heldOut.everyVersions", c.heldOut().everyVersions(), 10, 1,
        1_000_000) : 0;
    var sa = c.sampling() != null ? c.sampling() : new MetaTrainConfig.Sampling(null, null, null, null);
    double minScale = range(f, "sampling.minScale", sa.minScale(), 1.0, 1e-9, 1e9);
    double maxScale = range(f, "sampling.maxScale", sa.maxScale(), 1.0, minScale, 1e9);
    String hash = SpecHash.sha256(SpecLoader.canonicalJsonOf(root));
    return new Loaded(file, c, c.name() != null ? c.name() : c.architecture(), c.architecture(),
        c.hyperparameters() != null ? c.hyperparameters() : Map.of(), tasks, kind, sigma, particles, schedule,
        weights, range(f, "metaOptimizer.learningRate", mo.learningRate(), 3e-3, 1e-8, 1),
        range(f, "metaOptimizer.clipNorm", mo.clipNorm(), 10.0, 1e-6, 1e9),
        windowSegments, range(f, "window.maxWaitMillis", win.maxWaitMillis(), 2000, 1, 3_600_000),
        range(f, "window.maxStaleness", win.maxStaleness(), 2, 0, 1_000_000),
        range(f, "window.maxSegments", win.maxSegments(), windowSegments, windowSegments, 100_000), heldOut,
        heldOutEvery,
        c.seed() != null ? c.seed() : 0L, hash,
        range(f, "metaOptimizer.weightDecay", mo.weightDecay(), 0.0, 0, 1e3),
        Boolean.TRUE.equals(est.averageOverFamilies()), Boolean.TRUE.equals(sa.perTrajectory()), minScale, maxScale,
        Boolean.TRUE.equals(sa.randomStartOffset()),
        metaSchedule(f, mo));
  }

  private static ObjectiveWeights weights(String f, MetaTrainConfig.Objective given) {
    var o = given != null ? given
        : new MetaTrainConfig.Objective(null, null, null, null, null, null, null, null, null, null);
    if (o.record() != null) {
      for (String name : o.record()) {
        if (recordedTerm(name).isEmpty()) {
          throw new SpecException(f + "objective.record names '" + name + "'; it can name " + RECORDABLE);
        }
      }
    }
    try {
      return new ObjectiveWeights(w(o.finalLoss(), 0), w(o.meanLogLossRatio(), o.isEmpty() ? 1 : 0),
          w(o.validationLoss(), 0), w(o.hessianTrace(), 0), w(o.topEigenvalue(), 0), w(o.negLocalEntropy(), 0),
          w(o.finalLogLossRatio(), 0), w(o.meanClippedLoss(), 0), w(o.negLocalEntropySgld(), 0));
    } catch (IllegalArgumentException e) {
      throw new SpecException(f + "objective: " + e.getMessage());
    }
  }

  private static MetaLrSchedule metaSchedule(String f, MetaTrainConfig.MetaOptimizer mo) {
    return new MetaLrSchedule(range(f, "metaOptimizer.warmupSteps", mo.warmupSteps(), 0, 0, 100_000_000),
        range(f, "metaOptimizer.decaySteps", mo.decaySteps(), 0, 0, 100_000_000),
        range(f, "metaOptimizer.minLrFraction", mo.minLrFraction(), 1.0, 1e-6, 1));
  }

  private static double w(Double x, double dflt) {
    return x != null ? x : dflt;
  }

  private static int range(String f, String field, Integer v, int dflt, int lo, int hi) {
    int x = v != null ? v : dflt;
    if (x < lo || x > hi) {
      throw new SpecException(f + field + " = " + x + " is not allowed; expected an integer in [" + lo + ", " + hi + "]");
    }
    return x;
  }

  private static double range(String f, String field, Double v, double dflt, double lo, double hi) {
    double x = v != null ? v : dflt;
    if (!(x >= lo && x <= hi)) {
      throw new SpecException(f + field + " = " + x + " is not allowed; expected a number in [" + lo + ", " + hi + "]");
    }
    return x;
  }
}
