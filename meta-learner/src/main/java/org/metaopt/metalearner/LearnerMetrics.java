package org.metaopt.metalearner;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import org.metaopt.stream.wire.RunRecord;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;
import org.metaopt.core.meta.ObjectiveTerms;
import org.metaopt.core.meta.Segment;

/**
 * The learner's meters ({@code metaopt.learner.*}; reference in docs/metrics.md). Window values are recorded on the
 * learner thread; gauges read the last recorded value when scraped. Counters move only when a transaction commits
 * (an aborted window is read again and must not count twice). Tags come from fixed sets only ({@code outcome},
 * {@code term}); version numbers are gauge values, never tags. The Kafka clients the learner creates (its consumer
 * per session, its transactional producer per activation) get Micrometer's {@link KafkaClientMetrics}, rebound when
 * a client is replaced.
 */
final class LearnerMetrics {
  /** The objective terms a segment records, as the {@code term} tag's values. */
  enum Term {
    finalLoss(ObjectiveTerms::finalLoss),
    meanLogLossRatio(ObjectiveTerms::meanLogLossRatio),
    validationLoss(ObjectiveTerms::validationLoss),
    hessianTrace(ObjectiveTerms::hessianTrace),
    topEigenvalue(ObjectiveTerms::topEigenvalue),
    negLocalEntropy(ObjectiveTerms::negLocalEntropy),
    finalLogLossRatio(ObjectiveTerms::finalLogLossRatio),
    meanClippedLoss(ObjectiveTerms::meanClippedLoss);

    final ToDoubleFunction<ObjectiveTerms> get;

    Term(ToDoubleFunction<ObjectiveTerms> get) {
      this.get = get;
    }
  }

  private final MeterRegistry registry;
  private final Counter windowsPublished;
  private final Counter windowsSkipped;
  private final Counter windowsAborted;
  private final Counter restarts;
  private final DistributionSummary staleness;
  private final Timer updateLatency;
  private final Counter runChunks;
  private final Counter runSteps;
  private final double[] runLoss = {Double.NaN};
  private final Map<Term, double[]> termMeans = new EnumMap<>(Term.class);
  private final double[] metaLoss = {Double.NaN};
  private final double[] gradientNorm = {Double.NaN};
  private KafkaClientMetrics consumerMetrics;
  private KafkaClientMetrics producerMetrics;

  LearnerMetrics(KafkaLearner learner, MeterRegistry r) {
    this.registry = r;
    windowsPublished = windows(r, "published");
    windowsSkipped = windows(r, "skipped");
    windowsAborted = windows(r, "aborted");
    restarts = Counter.builder("metaopt.learner.restarts")
        .description("Learner sessions that ended with an error (broker loss, fencing) and were restarted")
        .baseUnit("sessions").register(r);
    staleness = DistributionSummary.builder("metaopt.learner.staleness")
        .description("Version lag of each consumed segment (counted when its offsets commit): the learner's "
            + "current version minus the version the segment was produced with")
        .baseUnit("versions").serviceLevelObjectives(1, 2, 3, 4, 6, 8, 16, 32).register(r);
    updateLatency = Timer.builder("metaopt.learner.update.latency")
        .description("Time of one update: decode, estimate, meta-step and the transaction commit")
        .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1))
        .maximumExpectedValue(Duration.ofSeconds(60)).register(r);
    runChunks = Counter.builder("metaopt.learner.recorded.run.chunks")
        .description("Chunks of recorded training runs (a Deeplearning4j model trained with MetaoptListener) read "
            + "from the trajectories topic, counted when their offsets commit; no estimate uses them")
        .baseUnit("chunks").register(r);
    runSteps = Counter.builder("metaopt.learner.recorded.run.steps")
        .description("Training steps in those chunks, counted when their offsets commit").baseUnit("steps")
        .register(r);
    Gauge.builder("metaopt.learner.recorded.run.loss", runLoss, h -> h[0])
        .description("Last training loss of the most recent recorded-run chunk read (NaN before the first)")
        .register(r);
    for (Term t : Term.values()) {
      double[] holder = {Double.NaN};
      termMeans.put(t, holder);
      Gauge.builder("metaopt.learner.objective.term", holder, h -> h[0]).tag("term", t.name())
          .description("Last window's mean of one recorded objective term over its segments and both sides "
              + "(NaN when the term is not measured)")
          .register(r);
    }
    Gauge.builder("metaopt.learner.meta.loss", metaLoss, h -> h[0])
        .description("Last window's meta-loss (the weighted objective, mean over its used segments)").register(r);
    Gauge.builder("metaopt.learner.meta.gradient.norm", gradientNorm, h -> h[0])
        .description("Norm of the last window's meta-gradient, before clipping").register(r);
    Gauge.builder("metaopt.learner.version", learner, l -> l.current() == null ? Double.NaN : l.current().version())
        .description("Current optimizer version of the active learner (NaN while standby)").baseUnit("versions")
        .register(r);
    FunctionCounter.builder("metaopt.learner.versions.published", learner, KafkaLearner::versionsPublished)
        .description("Versions committed to the versions topic").baseUnit("versions").register(r);
    FunctionCounter.builder("metaopt.learner.segments.consumed", learner, KafkaLearner::segmentsConsumed)
        .description("Segments decoded from the trajectories topic, counted when their offsets commit (once, "
            + "even when an aborted transaction makes the learner read them again)").baseUnit("segments")
        .register(r);
    FunctionCounter.builder("metaopt.learner.segments.dropped.stale", learner, KafkaLearner::droppedStale)
        .description("Segments dropped for being more than maxStaleness versions behind, counted when their "
            + "offsets commit").baseUnit("segments")
        .register(r);
    FunctionCounter.builder("metaopt.learner.dead.letters", learner, KafkaLearner::deadLetters)
        .description("Records that could not be decoded and went to the dead-letter topic").baseUnit("records")
        .register(r);
  }

  private static Counter windows(MeterRegistry r, String outcome) {
    return Counter.builder("metaopt.learner.windows").tag("outcome", outcome)
        .description("Windows of segments processed; outcome=published committed a version, skipped made none "
            + "(all stale or no usable estimate; counted when a later version commits its offsets), aborted had its "
            + "transaction rejected and is read again (its windows are then counted once, when they commit)")
        .baseUnit("windows").register(r);
  }

  /**
   * A window's decoded segments and what the update made of them: the last-window gauges (objective terms, meta-loss,
   * meta-gradient norm) move now; counters wait for {@link #committed}.
   */
  void window(List<Segment> segments, MetaLearner.StepReport report) {
    for (Term t : Term.values()) {
      double sum = 0;
      int n = 0;
      for (Segment s : segments) {
        for (ObjectiveTerms o : new ObjectiveTerms[] {s.termsPos(), s.termsNeg()}) {
          double v = o == null ? Double.NaN : t.get.applyAsDouble(o);
          if (Double.isFinite(v)) {
            sum += v;
            n++;
          }
        }
      }
      termMeans.get(t)[0] = n == 0 ? Double.NaN : sum / n;
    }
    if (report.published()) {
      metaLoss[0] = report.metaLoss();
      gradientNorm[0] = report.gradientNorm();
    }
  }

  /**
   * A version was committed {@code nanos} after its window started, together with the offsets of every window in
   * {@code counts}: those windows' staleness and skipped windows are counted now, once.
   */
  void committed(long nanos, UncommittedCounts counts) {
    windowsPublished.increment();
    windowsSkipped.increment(counts.skippedWindows());
    runChunks.increment(counts.runChunks());
    runSteps.increment(counts.runSteps());
    for (long lag : counts.lags()) {
      staleness.record(lag);
    }
    updateLatency.record(nanos, TimeUnit.NANOSECONDS);
  }

  /** A window's recorded-run chunks: the loss gauge moves now; the counters wait for {@link #committed}. */
  void runs(List<RunRecord> chunks) {
    for (RunRecord c : chunks) {
      for (int i = c.losses().length - 1; i >= 0; i--) {
        if (Float.isFinite(c.losses()[i])) {
          runLoss[0] = c.losses()[i];
          break;
        }
      }
    }
  }

  /** The window's transaction was rejected (e.g. a rebalance); it will be read again. */
  void aborted() {
    windowsAborted.increment();
  }

  void restarted() {
    restarts.increment();
  }

  synchronized void consumer(Consumer<?, ?> c) {
    if (consumerMetrics != null) {
      consumerMetrics.close();
    }
    consumerMetrics = new KafkaClientMetrics(c);
    consumerMetrics.bindTo(registry);
  }

  synchronized void producer(Producer<?, ?> p) {
    if (producerMetrics != null) {
      producerMetrics.close();
    }
    producerMetrics = new KafkaClientMetrics(p);
    producerMetrics.bindTo(registry);
  }

  synchronized void close() {
    if (consumerMetrics != null) {
      consumerMetrics.close();
    }
    if (producerMetrics != null) {
      producerMetrics.close();
    }
  }
}
