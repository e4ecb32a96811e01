package org.metaopt.evaluator;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.metaopt.core.UserError;
import org.metaopt.stream.kafka.KafkaSettings;
import org.metaopt.stream.kafka.VersionFollower;
import org.metaopt.stream.kafka.VersionLog;
import org.metaopt.core.lopt.LearnedOptimizer;
import org.metaopt.core.lopt.registry.LearnedOptimizers;
import org.metaopt.core.spec.SuiteSpec;
import org.metaopt.core.spec.TaskSpec;
import org.metaopt.core.version.OptimizerVersion;
import org.metaopt.core.version.VersionFiles;
import org.metaopt.stream.wire.EvaluationRecord;
import org.metaopt.stream.wire.WireFormat;

/**
 * The evaluator service: follows the versions topic; whenever the newest version has crossed a multiple of k since
 * the last scored one it scores the newest (and the newest at shutdown, when not scored yet) on a held-out suite
 * against the tuned baselines, publishes one evaluation record per scored version, and keeps the best version so far
 * in {@code best.json} (highest win rate vs the best tuned baseline, then vs tuned Adam, then the lower
 * geometric-mean loss ratio). When evaluation is slower than versions arrive it takes the newest version rather
 * than queueing. On start it rebuilds its history, the last scored version and the best from the evaluations topic
 * ({@link EvaluationHistory}), so a restart scores no version twice and keeps the better {@code best.json}.
 * Baselines are tuned and scored once per task (tuning cached on disk) and reused for every version.
 *
 * <p>{@link #run()} runs on the caller's thread until {@link #close()}; it ends with a {@link UserError} when its
 * version follower stays down longer than its {@link VersionFollower.Options#maxDowntime()}.
 */
public final class EvaluatorService implements AutoCloseable {
  private final KafkaSettings kafka;
  private final SuiteSpec suite;
  private final SuiteEvaluator evaluator;
  private final List<String> baselines;
  private final int every;
  private final int seeds;
  private final Path outDir;
  private final Listener listener;
  private final AtomicReference<OptimizerVersion> newest = new AtomicReference<>();
  private final Map<String, List<TaskScore>> baselineScores = new LinkedHashMap<>();
  private final EvaluationHistory history = new EvaluationHistory();
  private final AtomicReference<String> followerStopped = new AtomicReference<>();
  private volatile boolean running = true;
  private List<TaskScore> firstScores;
  private long firstVersion = -1;
  private boolean baselinesAnnounced;
  private volatile Map<String, Object> deployment = Map.of();
  private volatile VersionFollower.Options followerOptions = VersionFollower.Options.defaults();
  private volatile VersionFollower follower;
  private volatile EvaluatorMetrics metrics;
  private volatile io.micrometer.core.instrument.MeterRegistry clientRegistry;

  /** Progress reports, on the evaluator thread. */
  public interface Listener {
    default void onBaselinesReady(int tasks) {}

    default void onEvaluation(EvaluationRecord record, boolean newBest) {}

    /** Evaluations of earlier runs of this evaluator (its suite and seeds) were found on the topic. */
    default void onRestored(int evaluations, long lastScored, EvaluationRecord best) {}

    /** Something the service waits for, said once per wait (e.g. the broker's acknowledgement at shutdown). */
    default void onWaiting(String what) {}
  }

  public EvaluatorService(KafkaSettings kafka, SuiteSpec suite, SuiteEvaluator evaluator, List<String> baselines,
      int every, int seeds, Path outDir, Listener listener) {
    if (every < 1 || seeds < 1) {
      throw new org.metaopt.core.UserError("evaluate every " + every + " versions with " + seeds
          + " seeds: both must be >= 1");
    }
    this.kafka = kafka;
    this.suite = suite;
    this.evaluator = evaluator;
    this.baselines = baselines.contains("adam") ? List.copyOf(baselines)
        : java.util.stream.Stream.concat(java.util.stream.Stream.of("adam"), baselines.stream()).toList();
    this.every = every;
    this.seeds = seeds;
    this.outDir = outDir;
    this.listener = listener;
  }

  /**
   * Registers the evaluator's meters ({@code metaopt.evaluator.*}, see docs/metrics.md) and, when {@link #run()}
   * starts, its Kafka producer's client metrics in {@code registry}. Call once, before {@link #run()}.
   */
  public EvaluatorService metrics(io.micrometer.core.instrument.MeterRegistry registry) {
    this.metrics = new EvaluatorMetrics(registry);
    io.micrometer.core.instrument.FunctionCounter.builder("metaopt.evaluator.follower.failures", this,
        EvaluatorService::followerFailures)
        .description("Failures of the versions-topic follower, each retried with backoff; a follower down past its "
            + "limit stops the evaluator").baseUnit("failures").register(registry);
    this.clientRegistry = registry;
    return this;
  }

  /**
   * Hyperparameters to score every version with, over its own (as {@code metaopt deploy --set} does), e.g. celo2's
   * {@code schedule: cosine} for versions meta-trained at a constant η. Empty by default. Call before {@link #run()}.
   */
  public EvaluatorService deployWith(Map<String, Object> overrides) {
    this.deployment = Map.copyOf(overrides);
    return this;
  }

  /**
   * How the version follower retries and how long it may be down before the service stops (default: 2 minutes).
   * Call before {@link #run()}.
   */
  public EvaluatorService followWith(VersionFollower.Options options) {
    this.followerOptions = options;
    return this;
  }

  /**
   * Rebuilds what earlier runs scored from the evaluations topic, then runs until {@link #close()} and evaluates the
   * newest version if it was not evaluated yet.
   *
   * @throws UserError when the version follower stayed down too long (the message says why)
   */
  public void run() throws InterruptedException {
    int restored = history.restore(kafka, suite.name(), seeds, outDir, Duration.ofSeconds(30));
    if (restored > 0) {
      listener.onRestored(restored, history.lastScored(), history.best());
    }
    try (VersionFollower f = new VersionFollower(kafka, newest::set, followerOptions, followerStopped::set);
        KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(kafka.producer(kafka.topics().prefix()
            + "-evaluator"));
        io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics clientMetrics = clientRegistry == null ? null
            : new io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics(producer)) {
      follower = f;
      if (clientMetrics != null) {
        clientMetrics.bindTo(clientRegistry);
      }
      if (!prepareBaselines()) {
        return;
      }
      while (running && followerStopped.get() == null) {
        OptimizerVersion v = newest.get();
        if (v != null && history.due(v.version(), every)) {
          evaluateAndPublish(v, producer);
        } else {
          Thread.sleep(pollInterval().toMillis());
        }
      }
      OptimizerVersion last = newest.get();
      if (followerStopped.get() == null && last != null && last.version() != history.lastScored()) {
        evaluateAndPublish(last, producer);
      }
    }
    if (followerStopped.get() != null) {
      throw new UserError("evaluator: " + followerStopped.get());
    }
  }

  /** Failures of the version follower so far (each retried unless it stopped the service). */
  long followerFailures() {
    VersionFollower f = follower;
    return f == null ? 0 : f.failures();
  }

  /**
   * Tunes and scores every baseline on every task once (the tuning is cached on disk), for {@link #evaluate} to
   * reuse; {@link #run()} calls it first. Returns false when the service was closed before it finished.
   */
  public boolean prepareBaselines() {
    for (TaskSpec spec : suite.tasks()) {
      if (baselineScores.containsKey(spec.name())) {
        continue;
      }
      List<TaskScore> b = new ArrayList<>();
      for (String name : baselines) {
        if (!running) {
          return false;
        }
        b.add(evaluator.scoreBaseline(spec, name, seeds));
      }
      baselineScores.put(spec.name(), b);
    }
    if (!baselinesAnnounced) {
      baselinesAnnounced = true;
      listener.onBaselinesReady(suite.tasks().size());
    }
    return true;
  }

  /**
   * Scores one version now (also used by the demo's final summary): the same scores as {@code metaopt evaluate}
   * gives for that version's file, suite, baselines and seeds (each run is told its task's step count).
   */
  public EvaluationRecord evaluate(OptimizerVersion v) {
    long t0 = System.nanoTime();
    List<TaskScore> scores = scores(v);
    EvaluationSummary s = EvaluationSummary.of(scores);
    EvaluationRecord.Paired vsFirst = vsFirst(v, scores);
    List<EvaluationRecord.Row> rows = scores.stream().map(t -> new EvaluationRecord.Row(t.task(), t.optimizer(),
        t.learningRate(), t.trainLoss(), t.testLoss(), t.testAccuracy(), t.generalizationGap(), t.hessianTrace(),
        t.diverged(), t.seeds())).toList();
    return new EvaluationRecord(v.version(), v.thetaSha256(), v.architecture(), suite.name(), seeds, rows, s.tasks(),
        s.winRateTrainLoss(), s.classifierTasks(), s.winRateTestAccuracy(), s.geometricMeanLossRatio(),
        (System.nanoTime() - t0) / 1e9, Instant.now().toString(), s.winRateVsAdamCosine(), s.winRateVsBest(),
        s.medianSpeedupVsAdam(), vsFirst);
  }

  /**
   * The paired comparison of {@code scores} with the run's first version (version 0 on the versions topic, scored
   * once; without a readable topic, the first version this service scored) on the fixed evaluation set: the suite's
   * tasks on the same evaluation seeds, so the same problem instances. The first version compared with itself gives
   * mean 0.
   */
  private EvaluationRecord.Paired vsFirst(OptimizerVersion v, List<TaskScore> scores) {
    List<TaskScore> reference;
    long referenceVersion;
    synchronized (this) {
      reference = firstScores;
      referenceVersion = firstVersion;
    }
    if (reference == null) { // once per service, scored outside the lock (it trains the suite once)
      OptimizerVersion first = firstOnTopic().orElse(v);
      referenceVersion = first.version();
      reference = first.version() == v.version() && first.thetaSha256().equals(v.thetaSha256()) ? scores
          : scores(first);
      synchronized (this) {
        firstScores = reference;
        firstVersion = referenceVersion;
      }
    }
    return PairedComparison.of(referenceVersion, reference, scores);
  }

  /** The run's first version (version 0 on the versions topic), when the topic can be read. */
  private java.util.Optional<OptimizerVersion> firstOnTopic() {
    if (kafka == null) {
      return java.util.Optional.empty();
    }
    try {
      return VersionLog.first(kafka, Duration.ofSeconds(10));
    } catch (RuntimeException e) {
      return java.util.Optional.empty(); // compare with the first version scored instead
    }
  }

  /** The per-task scores of one version, learned first per task, then the baselines (prepared once). */
  public List<TaskScore> scores(OptimizerVersion v) {
    prepareBaselines();
    Map<String, Object> hyper = new LinkedHashMap<>(v.hyperparameters());
    hyper.putAll(deployment);
    LearnedOptimizer arch = LearnedOptimizers.create(v.architecture(), hyper);
    List<TaskScore> scores = new ArrayList<>();
    for (TaskSpec spec : suite.tasks()) {
      scores.add(evaluator.scoreLearned(spec, (t, steps) -> arch.create(v.theta(), t.layout(), steps), seeds));
      scores.addAll(baselineScores.getOrDefault(spec.name(), List.of()));
    }
    return scores;
  }

  private void evaluateAndPublish(OptimizerVersion v, KafkaProducer<byte[], byte[]> producer)
      throws InterruptedException {
    EvaluationRecord r = evaluate(v);
    publish(r, producer);
    if (metrics != null) {
      metrics.evaluated(r);
    }
    boolean newBest = history.add(r, v);
    if (newBest && outDir != null) {
      VersionFiles.write(v, outDir.resolve("best.json"));
    }
    listener.onEvaluation(r, newBest);
  }

  /**
   * Sends {@code r} and waits for the broker's acknowledgement (so {@code best.json} and the restart history only
   * hold published evaluations); when that takes more than 2 s, says once what it waits for and for how long.
   */
  private void publish(EvaluationRecord r, KafkaProducer<byte[], byte[]> producer) throws InterruptedException {
    Future<RecordMetadata> ack = producer.send(new ProducerRecord<>(kafka.topics().evaluations(),
        VersionLog.key(r.version()), WireFormat.encode(r)));
    long t0 = System.nanoTime();
    boolean said = false;
    while (true) {
      try {
        ack.get(500, TimeUnit.MILLISECONDS);
        return;
      } catch (java.util.concurrent.TimeoutException e) {
        if (!said && System.nanoTime() - t0 > 2_000_000_000L) {
          said = true;
          Object timeoutMs = kafka.producer("evaluator").get(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG);
          listener.onWaiting(String.format("waiting up to %d s for the broker at %s to acknowledge the evaluation "
              + "of version %d (the producer's delivery.timeout.ms; Ctrl-C again to stop at once)",
              Long.parseLong(String.valueOf(timeoutMs)) / 1000, kafka.bootstrapServers(), r.version()));
        }
      } catch (ExecutionException e) {
        throw new UserError("evaluator: the evaluation of version " + r.version() + " could not be published to "
            + kafka.topics().evaluations() + " at " + kafka.bootstrapServers() + ": " + e.getCause().getMessage());
      }
    }
  }

  /**
   * The order {@code best.json} keeps: whether {@code a} beats {@code b} (higher win rate vs the best tuned baseline,
   * then vs tuned Adam, then the lower geometric-mean loss ratio).
   */
  public static boolean isBetter(EvaluationRecord a, EvaluationRecord b) {
    return EvaluationHistory.better(a, b);
  }

  /** Every evaluation of this suite so far, in order, including those of earlier runs found on the topic. */
  public List<EvaluationRecord> history() {
    return history.records();
  }

  /** The best evaluation so far (earlier runs included), or null. */
  public EvaluationRecord best() {
    return history.best();
  }

  /** The best version so far (the content of {@code best.json}), or null. */
  public OptimizerVersion bestVersion() {
    return history.bestVersion();
  }

  /** Baseline scores per task (empty until computed). */
  public Map<String, List<TaskScore>> baselineScores() {
    return Map.copyOf(baselineScores);
  }

  @Override
  public void close() {
    running = false;
  }

  /** How long to wait between checks; exposed for documentation. */
  public static Duration pollInterval() {
    return Duration.ofMillis(200);
  }
}
