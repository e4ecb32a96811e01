package org.metaopt.producer;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.metaopt.core.UserError;
import org.metaopt.stream.kafka.KafkaSettings;
import org.metaopt.stream.kafka.VersionFollower;
import org.metaopt.core.lopt.LearnedOptimizer;
import org.metaopt.core.lopt.registry.LearnedOptimizers;
import org.metaopt.core.meta.MetaTrainConfigs;
import org.metaopt.core.spec.TaskFactory;
import org.metaopt.core.transport.VersionChannel;
import org.metaopt.core.version.OptimizerVersion;

/**
 * The producer service: W workers running unroll segments with the latest optimizer version and sending them to
 * the trajectories topic. The latest version is followed on the versions topic (a new version is picked up by a
 * worker at its next segment; the follower sees it within ~100 ms of its commit). A follower down longer than
 * {@link VersionFollower.Options#maxDowntime()} makes {@link #failure()} say so: the service is then expected to stop
 * rather than produce with a stale version.
 */
public final class ProducerService implements AutoCloseable {
  private final KafkaSettings kafka;
  private final AtomicReference<OptimizerVersion> latest = new AtomicReference<>();
  private final AtomicReference<UserError> failure = new AtomicReference<>();
  private final VersionFollower follower;
  private final KafkaSegmentSink sink;
  private final WorkerPool pool;
  private final long startNanos = System.nanoTime();

  /** Producer options; {@code follower}: how the version follower retries and how long it may be down. */
  public record Options(int workers, int instance, double rawGradientFraction, int queueCapacity, int maxInFlight,
      VersionFollower.Options follower) {
    /** Options with the follower's defaults. */
    public Options(int workers, int instance, double rawGradientFraction, int queueCapacity, int maxInFlight) {
      this(workers, instance, rawGradientFraction, queueCapacity, maxInFlight, VersionFollower.Options.defaults());
    }

    public static Options defaults(int workers) {
      return new Options(workers, 0, 0.0, 64, 32);
    }

    public Options withFollower(VersionFollower.Options f) {
      return new Options(workers, instance, rawGradientFraction, queueCapacity, maxInFlight, f);
    }
  }

  /** How long {@link #close()} waits for the broker to acknowledge the segments still in flight. */
  public static final Duration STOP_WAIT = Duration.ofSeconds(30);

  public ProducerService(KafkaSettings kafka, MetaTrainConfigs.Loaded config, TaskFactory factory, Options options) {
    this.kafka = kafka;
    LearnedOptimizer arch = LearnedOptimizers.create(config.architecture(), config.hyperparameters());
    this.follower = new VersionFollower(kafka, v -> {
      try {
        LearnedOptimizers.requireFits(arch, v, kafka.topics().versions(), config.file().toString());
      } catch (UserError e) {
        failure.compareAndSet(null, e); // never handed to the workers
        return;
      }
      latest.set(v);
    }, options.follower(), message -> failure.compareAndSet(null, new UserError("producer " + options.instance()
        + ": " + message)));
    this.sink = new KafkaSegmentSink(kafka, kafka.topics().prefix() + "-producer-" + options.instance(),
        options.queueCapacity(), options.maxInFlight());
    VersionChannel channel = new VersionChannel() {
      @Override
      public void publish(OptimizerVersion version) {
        throw new UnsupportedOperationException("producers only read versions");
      }

      @Override
      public Optional<OptimizerVersion> latest() {
        return Optional.ofNullable(latest.get());
      }
    };
    this.pool = new WorkerPool(config, factory, options.workers(), options.instance(), options.rawGradientFraction(),
        channel, sink);
  }

  /**
   * Waits until the first version is known (the learner publishes version 0), then starts the workers.
   *
   * @throws UserError when the versions topic holds a version that does not fit the config ({@link #failure()})
   */
  public boolean start(Duration waitForVersion) throws InterruptedException {
    long deadline = System.nanoTime() + waitForVersion.toNanos();
    while (latest.get() == null) {
      if (failure.get() != null) {
        throw failure.get();
      }
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(100);
    }
    pool.start();
    return true;
  }

  /**
   * Registers the producer's meters ({@code metaopt.producer.*}, see docs/metrics.md) and its Kafka producer's
   * client metrics in {@code registry}. Call once, before or after {@link #start}.
   */
  public ProducerService metrics(io.micrometer.core.instrument.MeterRegistry registry) {
    new ProducerMetrics(this).bindTo(registry);
    sink.bindClientMetrics(registry);
    return this;
  }

  /**
   * Why producing stopped, or null: a version on the topic that does not fit the config (the workers keep the last
   * version that fitted), a version follower down past its limit, or the first error of a worker (which then
   * stopped).
   */
  public RuntimeException failure() {
    RuntimeException f = failure.get();
    return f != null ? f : pool.failure();
  }

  /** The newest version the follower has seen (null before the first). */
  public OptimizerVersion latestVersion() {
    return latest.get();
  }

  public long segmentsSent() {
    return sink.sent();
  }

  public long segmentsProduced() {
    return pool.segmentsSent();
  }

  public long innerSteps() {
    return pool.innerSteps();
  }

  public long divergedSegments() {
    return pool.divergedSegments();
  }

  public KafkaSegmentSink sink() {
    return sink;
  }

  public WorkerPool pool() {
    return pool;
  }

  public double seconds() {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  public KafkaSettings kafka() {
    return kafka;
  }

  /** Failures of the version follower so far (each retried unless it stopped the service). */
  public long followerFailures() {
    return follower.failures();
  }

  /** {@link #close(Consumer)} with the notices logged. */
  @Override
  public void close() throws InterruptedException {
    close(m -> org.slf4j.LoggerFactory.getLogger(ProducerService.class).info("metaopt: {}", m));
  }

  /**
   * Stops the workers after their segment in progress, then waits up to {@link #STOP_WAIT} for the broker to
   * acknowledge what was sent; {@code say} hears once what it waits for and how long when that takes more than a
   * second (the broker gone), and how many segments were given up if the wait runs out. Idempotent.
   */
  public void close(java.util.function.Consumer<String> say) throws InterruptedException {
    pool.close();
    follower.close();
    sink.close(STOP_WAIT, say);
  }
}
