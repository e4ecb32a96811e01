package org.metaopt.stream.kafka;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.metaopt.core.version.OptimizerVersion;
import org.metaopt.stream.wire.MalformedRecordException;
import org.metaopt.stream.wire.WireFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tails the versions topic on one daemon thread from the latest version on, calling {@code onVersion} for each newer
 * version (on that thread). A failure — any runtime error of the consumer or of {@code onVersion} — is counted
 * ({@link #failures()}) and retried from a fresh consumer after an exponential backoff, resuming after the last
 * version handed over; an idle follower checks every 5 s that the broker answers (more often for short limits). When the follower has been down
 * (no version handed over and no answer from the broker) for longer than {@link Options#maxDowntime()}, it stops
 * and calls {@code onStopped} once with a one-line message; its service is expected to stop with that message
 * rather than go on with a frozen version. Close to stop; idempotent.
 */
public final class VersionFollower implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(VersionFollower.class);
  /** How often an idle follower checks that the broker answers, at most (a quarter of the allowed downtime). */
  static final Duration PROBE_EVERY = Duration.ofSeconds(5);
  /** How long a probe may take, at most (a quarter of the allowed downtime): a broker failover takes seconds. */
  static final Duration PROBE_TIMEOUT = Duration.ofSeconds(30);

  /**
   * How a follower retries.
   *
   * @param maxDowntime how long the follower may be down before it stops its service
   * @param initialBackoff the pause before the first retry; doubled per consecutive failure
   * @param maxBackoff the longest pause between retries
   * @param consumers makes the follower's consumer from its configuration (a fresh one per attempt); tests inject
   *     failing consumers here
   */
  public record Options(Duration maxDowntime, Duration initialBackoff, Duration maxBackoff,
      Function<Map<String, Object>, Consumer<byte[], byte[]>> consumers) {
    public Options {
      if (maxDowntime.isNegative() || maxDowntime.isZero()) {
        throw new org.metaopt.core.UserError("follower timeout " + maxDowntime.toMillis() + " ms must be > 0");
      }
      if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0) {
        throw new IllegalArgumentException("backoff " + initialBackoff + " .. " + maxBackoff
            + " must satisfy 0 <= initial <= max");
      }
    }

    /** Down for at most 2 minutes; retries after 100 ms, doubling up to 5 s; Kafka consumers. */
    public static Options defaults() {
      return new Options(Duration.ofMinutes(2), Duration.ofMillis(100), Duration.ofSeconds(5), KafkaConsumer::new);
    }

    public Options withMaxDowntime(Duration d) {
      return new Options(d, initialBackoff, maxBackoff, consumers);
    }

    public Options withConsumers(Function<Map<String, Object>, Consumer<byte[], byte[]>> c) {
      return new Options(maxDowntime, initialBackoff, maxBackoff, c);
    }
  }

  private final KafkaSettings settings;
  private final Options options;
  private final java.util.function.Consumer<OptimizerVersion> onVersion;
  private final java.util.function.Consumer<String> onStopped;
  private final TopicPartition tp;
  private final Thread thread;
  private final AtomicLong failures = new AtomicLong();
  private final Object pauseLock = new Object();
  private volatile boolean running = true;
  private volatile Consumer<byte[], byte[]> consumer;
  private volatile String stoppedWith;
  private long newest = -1;
  private long nextOffset = -1;
  /**
   * Whether this attempt recovered — it handed over a record, or the broker answered a probe after a poll without
   * error (an attempt that fails right after an empty poll, e.g. on a version its callback rejects or a fetch it may
   * not make, does not end the outage) — and when it last did. Follower thread only.
   */
  private boolean recovered;
  private long lastHealthy;

  /** A follower with the default {@link Options}; when it stops by itself, it logs why. */
  public VersionFollower(KafkaSettings s, java.util.function.Consumer<OptimizerVersion> onVersion) {
    this(s, onVersion, Options.defaults(), m -> LOG.warn("metaopt: {}", m));
  }

  /** Starts following; {@code onStopped} gets the one-line reason when the follower gives up. */
  public VersionFollower(KafkaSettings s, java.util.function.Consumer<OptimizerVersion> onVersion, Options options,
      java.util.function.Consumer<String> onStopped) {
    this.settings = s;
    this.options = options;
    this.onVersion = onVersion;
    this.onStopped = onStopped;
    this.tp = new TopicPartition(s.topics().versions(), 0);
    this.thread = new Thread(this::follow, "metaopt-version-follower");
    thread.setDaemon(true);
    thread.start();
  }

  /** Failures so far (each one retried unless it was the one that stopped the follower). */
  public long failures() {
    return failures.get();
  }

  /** Why the follower stopped by itself, or null while it follows (or after {@link #close()}). */
  public String stoppedWith() {
    return stoppedWith;
  }

  private void follow() {
    long downSince = System.nanoTime(); // until a first poll completes
    long backoff = options.initialBackoff().toMillis();
    int attempts = 0;
    while (running) {
      attempts++;
      RuntimeException failure;
      recovered = false;
      try {
        followOnce();
        return; // closed
      } catch (WakeupException e) {
        return; // closing
      } catch (RuntimeException e) {
        failure = e;
      } finally {
        closeConsumer();
      }
      if (!running) {
        return;
      }
      failures.incrementAndGet();
      if (recovered) { // it followed for a while: this outage starts at its last good poll
        downSince = lastHealthy;
        backoff = options.initialBackoff().toMillis();
        attempts = 1;
      }
      long down = System.nanoTime() - downSince;
      if (down > options.maxDowntime().toNanos()) {
        stop(down, attempts, failure);
        return;
      }
      if (attempts == 1) { // once per outage; the retries are counted in failures()
        LOG.warn("metaopt: the version follower failed ({}); retrying with backoff for up to {} s", oneLine(failure),
            options.maxDowntime().toSeconds());
      } else {
        LOG.debug("metaopt: the version follower failed again ({}); retrying in {} ms", oneLine(failure), backoff);
      }
      if (!pause(backoff)) {
        return;
      }
      backoff = Math.min(options.maxBackoff().toMillis(), Math.max(1, backoff * 2));
    }
  }

  /**
   * One consumer's life: seek after the last version handed over (or a few offsets before the end), then poll. An
   * idle consumer polls without error while the broker is away, so every {@link #PROBE_EVERY} (or a quarter of the
   * allowed downtime, when shorter) it also asks for the end offset: a broker that does not answer is a failure like
   * any other.
   */
  private void followOnce() {
    Map<String, Object> config = settings.consumer("metaopt-version-follower", null);
    Consumer<byte[], byte[]> c = options.consumers().apply(config);
    consumer = c;
    if (!running) {
      return;
    }
    Duration quarter = options.maxDowntime().dividedBy(4).plusMillis(1);
    Duration probeEvery = quarter.compareTo(PROBE_EVERY) < 0 ? quarter : PROBE_EVERY;
    Duration probeTimeout = quarter.compareTo(PROBE_TIMEOUT) < 0 ? quarter : PROBE_TIMEOUT; // failovers take a while
    c.assign(List.of(tp));
    if (nextOffset >= 0) {
      c.seek(tp, nextOffset);
    } else {
      long end = c.endOffsets(List.of(tp), probeTimeout).get(tp);
      c.seek(tp, Math.max(0, end - 8));
    }
    long lastProbe = System.nanoTime();
    while (running) {
      boolean handed = false;
      for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(100))) {
        try {
          OptimizerVersion v = WireFormat.decodeVersion(r.value());
          if (v.version() > newest) {
            onVersion.accept(v);
            newest = v.version();
          }
        } catch (MalformedRecordException e) {
          LOG.warn("metaopt: skipping unreadable version record at offset {}: {}", r.offset(), e.reason());
        }
        nextOffset = r.offset() + 1;
        handed = true;
      }
      if (!handed && System.nanoTime() - lastProbe > probeEvery.toNanos()) {
        c.endOffsets(List.of(tp), probeTimeout); // throws when the broker does not answer
        lastProbe = System.nanoTime();
        handed = true; // a poll completed and the broker answered since
      }
      if (handed) { // records handed over, or the broker answered after a poll without error
        lastHealthy = System.nanoTime();
        recovered = true;
      }
    }
  }

  private void stop(long downNanos, int attempts, RuntimeException last) {
    String message = String.format("the version follower could not read %s at %s for %.1f s (%d attempt%s; last "
        + "error: %s); stopping, since a service that cannot see new versions works with a stale one: is the broker "
        + "running and are these client settings allowed to read the topic?", tp.topic(),
        settings.bootstrapServers(), downNanos / 1e9, attempts, attempts == 1 ? "" : "s", oneLine(last));
    stoppedWith = message;
    onStopped.accept(message); // the service says it (once), as the reason it stops
  }

  private static String oneLine(Throwable e) {
    String m = e.getMessage();
    String s = e.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    return s.replace('\n', ' ');
  }

  /** Waits {@code ms} or until {@link #close()}; returns whether still running. */
  private boolean pause(long ms) {
    long until = System.nanoTime() + ms * 1_000_000L;
    synchronized (pauseLock) {
      try {
        for (long left = ms; running && left > 0; left = (until - System.nanoTime()) / 1_000_000L) {
          pauseLock.wait(left);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return running;
  }

  private void closeConsumer() {
    Consumer<byte[], byte[]> c = consumer;
    consumer = null;
    if (c != null) {
      try {
        c.close(Duration.ofSeconds(1));
      } catch (RuntimeException e) {
        LOG.debug("metaopt: closing the version follower's consumer: {}", e.toString());
      }
    }
  }

  /** Stops following and waits up to 5 s for the thread. */
  @Override
  public void close() {
    running = false;
    Consumer<byte[], byte[]> c = consumer;
    if (c != null) {
      try {
        c.wakeup();
      } catch (RuntimeException e) {
        LOG.debug("metaopt: waking the version follower: {}", e.toString());
      }
    }
    synchronized (pauseLock) {
      pauseLock.notifyAll(); // out of a backoff pause; a consumer in poll() was woken up above
    }
    try {
      thread.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
