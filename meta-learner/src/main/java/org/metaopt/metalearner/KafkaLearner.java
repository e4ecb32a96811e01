package org.metaopt.metalearner;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.metaopt.stream.kafka.KafkaSettings;
import org.metaopt.stream.kafka.OffsetRanges;
import org.metaopt.stream.kafka.ReactiveReceiver;
import org.metaopt.stream.kafka.VersionLog;
import org.metaopt.core.meta.Segment;
import org.metaopt.core.meta.MetaTrainConfigs;
import org.metaopt.core.version.OptimizerVersion;
import org.metaopt.stream.wire.MalformedRecordException;
import org.metaopt.stream.wire.RunRecord;
import org.metaopt.stream.wire.WireFormat;
import reactor.core.publisher.Flux;

/**
 * The meta-learner service on Kafka. Consumes the trajectories topic in the consumer group {@code <prefix>.learner}
 * (one partition by default, so one active learner; others in the group wait as standbys and take over when the
 * active one dies), forms bounded windows (count and time; when windows are already waiting, it joins them up to
 * {@code window.maxSegments}, see {@code WindowQueue}), and for each window that yields an update commits, in
 * <b>one Kafka transaction</b>: the new version record, the dead letters of the window, and the consumed offsets.
 * A crash therefore never applies a window twice or skips one: the restarted (or standby) learner fences its
 * predecessor's {@code transactional.id}, reloads the latest committed version with its meta-optimizer state, and
 * resumes from the offsets committed with it.
 *
 * <p>Each version's provenance holds the exact offset ranges it accounts for ({@link OffsetRanges}); windows whose
 * segments were all stale publish nothing and roll into the next version's range, so the ranges of the chain are
 * contiguous. Records are taken in offset order, which makes the chain reproducible by replay.
 */
public final class KafkaLearner implements AutoCloseable {
  /** Reason header of a dead letter. */
  public static final String DLQ_REASON = "metaopt.dlq.reason";
  /** Source header of a dead letter: {@code topic:partition:offset}. */
  public static final String DLQ_SOURCE = "metaopt.dlq.source";

  private final KafkaSettings kafka;
  private final MetaTrainConfigs.Loaded config;
  private final Listener listener;
  private final String groupId;
  private final LearnerTransactions transactions;
  private final OptimizerVersion.Provenance provenance;
  private volatile boolean running = true;
  private volatile long minUpdateNanos;
  private volatile OptimizerVersion warmStart;
  /** True from a rewind request until the poll thread has rewound: every window in between is stale. */
  private volatile boolean rewinding;
  private final UpdateLatencies updateNanos = new UpdateLatencies();
  private final AtomicLong epoch = new AtomicLong();
  private final java.util.Set<TopicPartition> owned = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private final AtomicLong deadLetters = new AtomicLong();
  private final AtomicLong published = new AtomicLong();
  private final AtomicLong segmentsConsumed = new AtomicLong();
  private final AtomicLong droppedStale = new AtomicLong();

  private MetaLearner learner;
  private long activeEpoch = -1;
  private final Map<TopicPartition, long[]> ranges = OffsetRanges.newMap();
  private final List<ProducerRecord<byte[], byte[]>> pendingDeadLetters = new ArrayList<>();
  private final UncommittedCounts uncommitted = new UncommittedCounts();
  private volatile LearnerMetrics metrics;
  private volatile org.metaopt.core.UserError failure;

  /** What the learner reports; called on the learner thread. */
  public interface Listener {
    /** A version was committed. */
    default void onVersion(OptimizerVersion v, MetaLearner.StepReport report) {}

    /** The learner became active (took the partition and loaded {@code from}). */
    default void onActive(OptimizerVersion from) {}

    /** A record could not be decoded and will go to the dead-letter topic with the next version. */
    default void onDeadLetter(String reason) {}

    /** A session ended with an error and will be restarted. */
    default void onRestart(String reason) {}
  }

  public KafkaLearner(KafkaSettings kafka, MetaTrainConfigs.Loaded config, Listener listener) {
    this(kafka, config, listener, new LearnerTransactions(kafka, kafka.topics().prefix() + ".learner-tx",
        kafka.topics().prefix() + ".learner"));
  }

  /** A learner committing through {@code transactions} (tests inject aborted commits here). */
  KafkaLearner(KafkaSettings kafka, MetaTrainConfigs.Loaded config, Listener listener,
      LearnerTransactions transactions) {
    this.kafka = kafka;
    this.config = config;
    this.listener = listener;
    this.groupId = kafka.topics().prefix() + ".learner";
    this.transactions = transactions;
    this.provenance = LearnerSetup.provenance(config, "kafka");
  }

  /** Runs until {@link #close()}; sessions that fail (fencing, broker loss) are restarted after a pause. */
  public void run() {
    while (running) {
      try {
        session();
      } catch (org.metaopt.core.UserError e) {
        failure = e; // the topics do not fit the config: restarting cannot help
        running = false;
        break;
      } catch (RuntimeException e) {
        if (!running) {
          break;
        }
        listener.onRestart(String.valueOf(e.getMessage()));
        if (metrics != null) {
          metrics.restarted();
        }
        resetState();
        sleep(1000);
      }
    }
    transactions.close();
    if (metrics != null) {
      metrics.close();
    }
  }

  @Override
  public void close() {
    running = false;
  }

  /**
   * Makes every window take at least {@code d} (a deliberately slow learner, for back-pressure tests and
   * benchmarks; zero by default).
   */
  public KafkaLearner throttle(Duration d) {
    this.minUpdateNanos = d.toNanos();
    return this;
  }

  /**
   * Warm start: when the versions topic holds no version yet, version 0 of this run is {@code from} (its θ,
   * hyperparameters and meta-optimizer state when it has one) instead of the architecture's θ0. It must fit the
   * config's architecture (checked at activation, a {@link org.metaopt.core.UserError} otherwise). A topic that
   * already holds versions is continued as always.
   */
  public KafkaLearner warmStart(OptimizerVersion from) {
    this.warmStart = from;
    return this;
  }

  /**
   * Registers the learner's meters ({@code metaopt.learner.*}, see docs/metrics.md) and, from the next session and
   * activation on, its Kafka clients' metrics in {@code registry}. Call once, before {@link #run()}. The consumer lag
   * gauge is separate ({@link LearnerLag}) because it needs its own admin client.
   */
  public KafkaLearner metrics(io.micrometer.core.instrument.MeterRegistry registry) {
    this.metrics = new LearnerMetrics(this, registry);
    return this;
  }

  /** Update latencies (decode, estimate, meta-step, transaction commit) of the last 16,384 versions, in ms. */
  public double[] updateLatenciesMillis() {
    return updateNanos.millis();
  }

  public long deadLetters() {
    return deadLetters.get();
  }

  /**
   * Why {@link #run()} ended by itself (null while it runs or after {@link #close()}): the versions topic holds a
   * version the config cannot continue (another architecture, other hyperparameters, a θ of another length).
   */
  public org.metaopt.core.UserError failure() {
    return failure;
  }

  public long versionsPublished() {
    return published.get();
  }

  /** Decoded segments whose offsets were committed (a window read twice after an abort counts once). */
  public long segmentsConsumed() {
    return segmentsConsumed.get();
  }

  /** Decoded segments read since the last commit: counted in {@link #segmentsConsumed()} once they commit. */
  public long segmentsUncommitted() {
    return uncommitted.segments();
  }

  public long droppedStale() {
    return droppedStale.get();
  }

  /** The current version when active, else null. */
  public OptimizerVersion current() {
    MetaLearner l = learner;
    return l == null ? null : l.current();
  }

  /**
   * The learner's consumer: cooperative-sticky assignment, so a standby joining the group does not take the
   * partition away from the active learner even for a moment.
   */
  private Map<String, Object> consumerConfig() {
    Map<String, Object> c = kafka.consumer(groupId + "-" + ProcessHandle.current().pid(), groupId);
    c.put(org.apache.kafka.clients.consumer.ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
        org.apache.kafka.clients.consumer.CooperativeStickyAssignor.class.getName());
    return c;
  }

  private record Tagged(ConsumerRecord<byte[], byte[]> record, long epoch) {}

  private void session() {
    owned.clear();
    rewinding = false;
    ReactiveReceiver rx = new ReactiveReceiver(
        () -> {
          KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(consumerConfig());
          if (metrics != null) {
            metrics.consumer(c);
          }
          return c;
        },
        ReactiveReceiver.Options.subscribe(List.of(kafka.topics().trajectories()), ReactiveReceiver.CommitMode.EXTERNAL)
            .withListeners(p -> {
              if (!p.isEmpty()) { // cooperative rebalances also report "nothing new"
                owned.addAll(p);
                epoch.incrementAndGet();
              }
            }, p -> {
              if (!p.isEmpty()) {
                owned.removeAll(p);
                epoch.incrementAndGet();
              }
            }));
    Flux<List<Tagged>> windows = rx.receive()
        .map(r -> new Tagged(r.record(), epoch.get()))
        .bufferTimeout(config.windowSegments(), Duration.ofMillis(config.windowWaitMillis()), true);
    WindowQueue<Tagged> queue = new WindowQueue<>(
        (config.windowMaxSegments() + config.windowSegments() - 1) / config.windowSegments());
    windows.subscribe(queue);
    try {
      while (running) {
        List<Tagged> w = queue.next(Duration.ofMillis(500)); // null: nothing for 500 ms
        if (w == WindowQueue.<Tagged>end()) {
          break;
        }
        if (rewinding) {
          continue;
        }
        long now = epoch.get();
        if (w == null) {
          if (!owned.isEmpty() && (learner == null || activeEpoch != now)) {
            activate(); // took the partition: publish version 0 if none, so producers can start
          }
          continue;
        }
        List<ConsumerRecord<byte[], byte[]>> records = queue.coalesce(w, config.windowMaxSegments()).stream()
            .filter(t -> t.epoch() == now).map(Tagged::record).toList();
        if (!records.isEmpty()) {
          process(records, rx);
        }
      }
    } finally {
      queue.dispose();
    }
  }

  private void process(List<ConsumerRecord<byte[], byte[]>> records, ReactiveReceiver rx) {
    long t0 = System.nanoTime();
    try {
      processWindow(records, rx);
    } finally {
      long left = minUpdateNanos - (System.nanoTime() - t0);
      if (left > 0) {
        sleep(left / 1_000_000);
      }
    }
  }

  private void processWindow(List<ConsumerRecord<byte[], byte[]>> records, ReactiveReceiver rx) {
    long t0 = System.nanoTime();
    if (learner == null || activeEpoch != epoch.get()) {
      activate();
    }
    List<Segment> segments = new ArrayList<>(records.size());
    List<RunRecord> runs = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> r : records) {
      TopicPartition tp = new TopicPartition(r.topic(), r.partition());
      long[] range = ranges.computeIfAbsent(tp, k -> new long[] {r.offset(), r.offset() + 1});
      range[1] = Math.max(range[1], r.offset() + 1);
      try {
        if (WireFormat.isRecordedRun(r.value())) { // MetaoptListener's: its offset commits, no estimate uses it
          runs.add(WireFormat.decodeRun(r.value())); // decoded in full: a malformed one is a dead letter
        } else {
          segments.add(WireFormat.decodeSegment(r.value()));
        }
      } catch (MalformedRecordException e) {
        pendingDeadLetters.add(transactions.deadLetter(r, e.reason()));
        listener.onDeadLetter(e.reason());
      }
    }
    long before = learner.current().version();
    MetaLearner.StepReport report = learner.update(segments, OffsetRanges.format(ranges));
    uncommitted.window(segments, before, report); // counted once its offsets commit
    uncommitted.runs(runs);
    if (metrics != null) {
      metrics.window(segments, report);
      metrics.runs(runs);
    }
    if (!report.published()) {
      return; // nothing to commit: these offsets roll into the next version's range
    }
    OptimizerVersion v = learner.current();
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    ranges.forEach((tp, r) -> offsets.put(tp, new OffsetAndMetadata(r[1])));
    try {
      transactions.commit(pendingDeadLetters, v, offsets, rx);
    } catch (ProducerFencedException | org.apache.kafka.common.errors.InvalidProducerEpochException e) {
      transactions.close();
      throw new IllegalStateException("fenced by another learner while committing version " + v.version() + ": "
          + e.getMessage(), e);
    } catch (KafkaException e) {
      // e.g. the group's generation changed under the transaction (a rebalance): nothing was applied; reload the
      // committed state and read the window again
      transactions.abortQuietly(e);
      if (metrics != null) {
        metrics.aborted();
      }
      listener.onRestart("version " + v.version() + " not committed (" + e.getMessage() + "); rereading from the "
          + "committed offsets");
      resetState();
      rewinding = true;
      rx.rewind(() -> {
        epoch.incrementAndGet(); // records emitted before the seek are stale ...
        rewinding = false; // ... and only then may windows be taken again
      });
      return;
    }
    updateNanos.add(System.nanoTime() - t0);
    if (metrics != null) {
      metrics.committed(System.nanoTime() - t0, uncommitted);
    }
    segmentsConsumed.addAndGet(uncommitted.segments());
    droppedStale.addAndGet(uncommitted.stale());
    uncommitted.clear();
    deadLetters.addAndGet(pendingDeadLetters.size());
    pendingDeadLetters.clear();
    ranges.clear();
    published.incrementAndGet();
    listener.onVersion(v, report);
  }

  /** Takes over: fences the predecessor, loads the latest committed version (publishing version 0 if none). */
  private void activate() {
    resetState();
    transactions.open(metrics);
    Optional<OptimizerVersion> latest = VersionLog.latest(kafka, Duration.ofSeconds(30));
    OptimizerVersion from;
    if (latest.isPresent()) {
      from = latest.get();
      org.metaopt.core.lopt.registry.LearnedOptimizers.requireFits(
          org.metaopt.core.lopt.registry.LearnedOptimizers.create(config.architecture(), config.hyperparameters()), from,
          kafka.topics().versions(), config.file().toString());
    } else {
      from = warmStart == null ? LearnerSetup.initialVersion(config, provenance)
          : LearnerSetup.warmStartVersion(config, provenance, warmStart);
      transactions.publishFirst(from);
      published.incrementAndGet();
    }
    learner = new MetaLearner(from, LearnerSetup.settings(config, provenance));
    activeEpoch = epoch.get();
    listener.onActive(from);
  }

  private void resetState() {
    learner = null;
    activeEpoch = -1;
    ranges.clear();
    pendingDeadLetters.clear();
    uncommitted.clear(); // the windows since the last commit will be read again
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
