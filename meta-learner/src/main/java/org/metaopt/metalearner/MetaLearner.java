package org.metaopt.metalearner;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.metaopt.core.meta.EsEstimator;
import org.metaopt.core.meta.MetaLrSchedule;
import org.metaopt.core.meta.MetaOptimizer;
import org.metaopt.core.meta.ObjectiveWeights;
import org.metaopt.core.meta.Segment;
import org.metaopt.core.transport.SegmentSource;
import org.metaopt.core.transport.VersionChannel;
import org.metaopt.core.version.OptimizerVersion;

/**
 * The learner: takes bounded windows of segments, drops those more than {@code maxStaleness} versions behind,
 * combines their recorded objective terms with the configured weights, forms the ES/PES estimate, takes a clipped
 * meta-Adam step and publishes the next version. Single-threaded: call {@link #step()} from one thread.
 */
public final class MetaLearner {
  private final SegmentSource source;
  private final VersionChannel versions;
  private final Settings settings;
  private final EsEstimator estimator;
  private final MetaOptimizer metaOptimizer;
  private final float[] theta;
  private OptimizerVersion current;
  private long droppedStale;

  /** Window and update settings. */
  public record Settings(int windowSegments, Duration windowWait, int maxStaleness, ObjectiveWeights weights,
      double metaLearningRate, double clipNorm, OptimizerVersion.Provenance provenanceTemplate,
      double metaWeightDecay, boolean averageOverFamilies, MetaLrSchedule metaSchedule) {

    /** Outer AdamW at a constant learning rate. */
    public Settings(int windowSegments, Duration windowWait, int maxStaleness, ObjectiveWeights weights,
        double metaLearningRate, double clipNorm, OptimizerVersion.Provenance provenanceTemplate,
        double metaWeightDecay, boolean averageOverFamilies) {
      this(windowSegments, windowWait, maxStaleness, weights, metaLearningRate, clipNorm, provenanceTemplate,
          metaWeightDecay, averageOverFamilies, MetaLrSchedule.CONSTANT);
    }

    /** Outer Adam without weight decay, the window's segments averaged together. */
    public Settings(int windowSegments, Duration windowWait, int maxStaleness, ObjectiveWeights weights,
        double metaLearningRate, double clipNorm, OptimizerVersion.Provenance provenanceTemplate) {
      this(windowSegments, windowWait, maxStaleness, weights, metaLearningRate, clipNorm, provenanceTemplate, 0, false);
    }

    public Settings {
      if (windowSegments < 1 || maxStaleness < 0) {
        throw new IllegalArgumentException("windowSegments " + windowSegments + " must be >= 1 and maxStaleness "
            + maxStaleness + " >= 0");
      }
    }
  }

  /**
   * What one step did.
   *
   * @param termMeans the window's mean of each measured objective term over its fresh segments and both sides (terms
   *     never measured in the window are absent), by {@link org.metaopt.core.meta.ObjectiveTerms#NAMES}
   * @param flatnessCapped weighted flatness terms of the window set to their cap (a diverged side or a non-finite
   *     measurement; {@link org.metaopt.core.meta.FlatnessNormalization})
   */
  public record StepReport(long version, int segments, int droppedStale, int droppedNonFinite, double metaLoss,
      double gradientNorm, boolean published, Duration took, Map<String, Double> termMeans, int flatnessCapped) {

    public StepReport(long version, int segments, int droppedStale, int droppedNonFinite, double metaLoss,
        double gradientNorm, boolean published, Duration took) {
      this(version, segments, droppedStale, droppedNonFinite, metaLoss, gradientNorm, published, took, Map.of(), 0);
    }
  }

  /** Mean of each measured term over the segments' both sides (absent when never finite). */
  static Map<String, Double> termMeans(List<Segment> segments) {
    int k = org.metaopt.core.meta.ObjectiveTerms.NAMES.size();
    double[] sum = new double[k];
    int[] n = new int[k];
    for (Segment s : segments) {
      for (org.metaopt.core.meta.ObjectiveTerms t : new org.metaopt.core.meta.ObjectiveTerms[] {s.termsPos(),
          s.termsNeg()}) {
        if (t == null) {
          continue;
        }
        double[] v = t.values();
        for (int i = 0; i < k; i++) {
          if (Double.isFinite(v[i])) {
            sum[i] += v[i];
            n[i]++;
          }
        }
      }
    }
    Map<String, Double> out = new java.util.LinkedHashMap<>();
    for (int i = 0; i < k; i++) {
      if (n[i] > 0) {
        out.put(org.metaopt.core.meta.ObjectiveTerms.NAMES.get(i), sum[i] / n[i]);
      }
    }
    return out;
  }

  /**
   * A learner that pulls its windows itself: {@link #step()} polls {@code source} and publishes each new version on
   * {@code versions}. Starts from {@code initial} (already published or to be published by the caller), resuming its
   * meta-state.
   */
  public MetaLearner(SegmentSource source, VersionChannel versions, OptimizerVersion initial, Settings settings) {
    this(settings, initial, java.util.Objects.requireNonNull(source, "source"),
        java.util.Objects.requireNonNull(versions, "versions"));
  }

  /**
   * A learner driven from outside (the Kafka learner's transactions, replay): windows are handed to
   * {@link #update}, and the caller publishes {@link #current()}; {@link #step()} is not available.
   */
  public MetaLearner(OptimizerVersion initial, Settings settings) {
    this(settings, initial, null, null);
  }

  private MetaLearner(Settings settings, OptimizerVersion initial, SegmentSource source, VersionChannel versions) {
    this.source = source;
    this.versions = versions;
    this.settings = settings;
    this.current = initial;
    this.theta = initial.theta().clone();
    this.estimator = new EsEstimator(theta.length);
    this.metaOptimizer = new MetaOptimizer(theta.length, settings.metaLearningRate(), settings.clipNorm(),
        settings.metaWeightDecay(), settings.metaSchedule());
    if (initial.metaState() != null) {
      metaOptimizer.restore(initial.metaState());
    }
  }

  public OptimizerVersion current() {
    return current;
  }

  public long droppedStale() {
    return droppedStale;
  }

  public long droppedNonFinite() {
    return metaOptimizer.dropped();
  }


  /** Takes one window from the source and, when it holds usable segments, publishes the next version. */
  public StepReport step() throws InterruptedException {
    if (source == null) {
      throw new IllegalStateException("this learner is driven from outside (no source or version channel): "
          + "call update(window, description) and publish current() yourself");
    }
    long t0 = System.nanoTime();
    List<Segment> window = source.poll(settings.windowSegments(), settings.windowWait());
    StepReport r = update(window, settings.provenanceTemplate().window());
    if (r.published()) {
      versions.publish(current);
    }
    return new StepReport(r.version(), r.segments(), r.droppedStale(), r.droppedNonFinite(), r.metaLoss(),
        r.gradientNorm(), r.published(), Duration.ofNanos(System.nanoTime() - t0), r.termMeans(),
        r.flatnessCapped());
  }

  /**
   * The learner's pure step, shared by every transport: drops the stale segments of {@code window}, estimates the
   * meta-gradient from the rest (in the order given; callers that need bit-identical replays give the same order),
   * takes a meta-optimizer step and makes the next version {@link #current()} — without publishing it anywhere.
   *
   * @param windowDescription recorded in the new version's provenance (e.g. the Kafka offset ranges consumed)
   */
  public StepReport update(List<Segment> window, String windowDescription) {
    long t0 = System.nanoTime();
    List<Segment> fresh = new ArrayList<>(window.size());
    int stale = 0;
    for (Segment s : window) {
      if (current.version() - s.baseVersion() > settings.maxStaleness()) {
        stale++;
      } else {
        fresh.add(s);
      }
    }
    droppedStale += stale;
    if (fresh.isEmpty()) {
      return new StepReport(current.version(), 0, stale, 0, Double.NaN, Double.NaN, false,
          Duration.ofNanos(System.nanoTime() - t0));
    }
    EsEstimator.Estimate e = estimator.estimate(fresh, settings.weights(), settings.averageOverFamilies());
    double norm = e.used() > 0 ? metaOptimizer.step(theta, e.gradient()) : Double.NaN;
    boolean publish = e.used() > 0 && Double.isFinite(norm);
    if (publish) {
      OptimizerVersion.Provenance p = settings.provenanceTemplate();
      OptimizerVersion.Provenance prov = new OptimizerVersion.Provenance(p.configHash(), p.estimator(),
          p.objectiveWeights(), p.trainingTasks(), p.seed(), p.codeVersion(), Instant.now().toString(), e.used(),
          windowDescription);
      current = OptimizerVersion.of(current.version() + 1, current.version(), current.architecture(),
          current.hyperparameters(), theta.clone(), metaOptimizer.state(), prov);
    }
    return new StepReport(current.version(), e.used(), stale, e.droppedNonFinite(), e.meanLoss(), norm, publish,
        Duration.ofNanos(System.nanoTime() - t0), termMeans(fresh), e.flatnessCapped());
  }

  /** Objective weights as a map, for provenance. */
  public static Map<String, Double> weightsMap(ObjectiveWeights w) {
    return Map.of("finalLoss", w.finalLoss(), "meanLogLossRatio", w.meanLogLossRatio(), "validationLoss",
        w.validationLoss(), "hessianTrace", w.hessianTrace(), "topEigenvalue", w.topEigenvalue(), "negLocalEntropy",
        w.negLocalEntropy(), "finalLogLossRatio", w.finalLogLossRatio(), "meanClippedLoss", w.meanClippedLoss(),
        "negLocalEntropySgld", w.negLocalEntropySgld());
  }
}
