package org.metaopt.evaluator;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.metaopt.stream.kafka.KafkaSettings;
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
 * The evaluator service: follows the versions topic, scores every k-th version (and the newest one at shutdown)
 * on a held-out suite against the tuned baselines, publishes an evaluation record per scored version, and keeps
 * the best version so far (highest win rate vs the best tuned baseline, then vs tuned Adam, then the lower
 * geometric-mean loss ratio). When evaluation is slower than versions arrive it takes the newest version rather
 * than queueing. Baselines are tuned and scored once per task (tuning cached on disk) and reused for every version.
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
  private final List<EvaluationRecord> history = new ArrayList<>();
  private volatile boolean running = true;
  private long lastEvaluated = -1;
  private EvaluationRecord best;
  private List<TaskScore> firstScores;
  private long firstVersion = -1;
  private boolean baselinesAnnounced;
  private volatile Map<String, Object> deployment = Map.of();
  private OptimizerVersion bestVersion;
  private volatile EvaluatorMetrics metrics;
  private volatile io.micrometer.core.instrument.MeterRegistry clientRegistry;

  /** Progress reports, on the evaluator thread. */
  public interface Listener {
    default void onBaselinesReady(int tasks) {}

    default void onEvaluation(EvaluationRecord record, boolean newBest) {}
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

  /** Runs until {@link #close()}, then evaluates the newest version if it was not evaluated yet. */
  public void run() throws InterruptedException {
    try (VersionLog.Follower follower = new VersionLog.Follower(kafka, newest::set);
        KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(kafka.producer(kafka.topics().prefix()
            + "-evaluator"));
        io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics clientMetrics = clientRegistry == null ? null
            : new io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics(producer)) {
      if (clientMetrics != null) {
        clientMetrics.bindTo(clientRegistry);
      }
      if (!prepareBaselines()) {
        return;
      }
      while (running) {
        OptimizerVersion v = newest.get();
        boolean due = v != null && (lastEvaluated < 0
            || Math.floorDiv(v.version(), every) > Math.floorDiv(lastEvaluated, every));
        if (due) {
          evaluateAndPublish(v, producer);
        } else {
          Thread.sleep(pollInterval().toMillis());
        }
      }
      OptimizerVersion last = newest.get();
      if (last != null && last.version() != lastEvaluated) {
        evaluateAndPublish(last, producer);
      }
      producer.flush();
    }
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

  private void evaluateAndPublish(OptimizerVersion v, KafkaProducer<byte[], byte[]> producer) {
    EvaluationRecord r = evaluate(v);
    lastEvaluated = v.version();
    producer.send(new ProducerRecord<>(kafka.topics().evaluations(), VersionLog.key(v.version()),
        WireFormat.encode(r)));
    if (metrics != null) {
      metrics.evaluated(r);
    }
    boolean newBest = best == null || better(r, best);
    synchronized (this) {
      history.add(r);
      if (newBest) {
        best = r;
        bestVersion = v;
      }
    }
    if (newBest && outDir != null) {
      VersionFiles.write(v, outDir.resolve("best.json"));
    }
    listener.onEvaluation(r, newBest);
  }

  /** Higher win rate vs the best baseline, then vs tuned Adam, then the lower geometric-mean loss ratio. */
  static boolean better(EvaluationRecord a, EvaluationRecord b) {
    double ba = Double.isNaN(a.winRateVsBest()) ? -1 : a.winRateVsBest();
    double bb = Double.isNaN(b.winRateVsBest()) ? -1 : b.winRateVsBest();
    if (ba != bb) {
      return ba > bb;
    }
    double wa = Double.isNaN(a.winRateTrainLoss()) ? -1 : a.winRateTrainLoss();
    double wb = Double.isNaN(b.winRateTrainLoss()) ? -1 : b.winRateTrainLoss();
    if (wa != wb) {
      return wa > wb;
    }
    double ga = Double.isNaN(a.geometricMeanLossRatio()) ? Double.MAX_VALUE : a.geometricMeanLossRatio();
    double gb = Double.isNaN(b.geometricMeanLossRatio()) ? Double.MAX_VALUE : b.geometricMeanLossRatio();
    return ga < gb;
  }

  /** Every evaluation so far, in order. */
  public synchronized List<EvaluationRecord> history() {
    return List.copyOf(history);
  }

  public synchronized EvaluationRecord best() {
    return best;
  }

  public synchronized OptimizerVersion bestVersion() {
    return bestVersion;
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
