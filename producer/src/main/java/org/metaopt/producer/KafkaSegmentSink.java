package org.metaopt.producer;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RetriableException;
import org.metaopt.stream.kafka.KafkaSettings;
import org.metaopt.stream.kafka.ReactiveSender;
import org.metaopt.core.meta.Segment;
import org.metaopt.core.transport.SegmentSink;
import org.metaopt.stream.wire.WireFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

/**
 * Workers' segments into the trajectories topic through the {@link ReactiveSender}: {@link #send} puts the encoded
 * record into a bounded queue (blocking when it is full, so producers cannot outrun the broker's memory), one
 * subscription drains the queue into an idempotent {@code acks=all} producer with at most {@code maxInFlight}
 * records unacknowledged, and a send that fails after the client's own retries with a transient error is queued
 * again (nothing is lost while the broker is away). Key = particle id.
 */
public final class KafkaSegmentSink implements SegmentSink, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaSegmentSink.class);

  private final String topic;
  private final String bootstrapServers;
  /** Segments accepted by {@link #send} and not yet acknowledged nor dropped (queued, re-queued or in flight). */
  private final AtomicLong pending = new AtomicLong();
  private final BlockingQueue<ProducerRecord<byte[], byte[]>> queue;
  private final Producer<byte[], byte[]> producer;
  private final Disposable pipeline;
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong retried = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicReference<String> lastError = new AtomicReference<>();
  private final java.util.concurrent.ConcurrentLinkedQueue<ProducerRecord<byte[], byte[]>> retries =
      new java.util.concurrent.ConcurrentLinkedQueue<>();
  private volatile io.micrometer.core.instrument.Timer sendLatency;
  private io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics clientMetrics;

  private record Pending(ProducerRecord<byte[], byte[]> record, long startNanos) {}

  public KafkaSegmentSink(KafkaSettings kafka, String clientId, int queueCapacity, int maxInFlight) {
    this.topic = kafka.topics().trajectories();
    this.bootstrapServers = kafka.bootstrapServers();
    this.queue = new ArrayBlockingQueue<>(queueCapacity);
    this.producer = new KafkaProducer<>(kafka.producer(clientId));
    Flux<ReactiveSender.Outbound<Pending>> outbound = Flux.<ReactiveSender.Outbound<Pending>>generate(sink -> {
      try {
        ProducerRecord<byte[], byte[]> r = retries.poll();
        while (r == null && !Thread.currentThread().isInterrupted()) {
          r = queue.poll(200, TimeUnit.MILLISECONDS);
          if (r == null) {
            r = retries.poll();
          }
        }
        if (r == null) {
          sink.complete();
        } else {
          sink.next(new ReactiveSender.Outbound<>(r, new Pending(r, System.nanoTime())));
        }
      } catch (InterruptedException e) {
        sink.complete();
      }
    }).subscribeOn(Schedulers.newSingle("metaopt-segment-sender", true));
    this.pipeline = new ReactiveSender(producer, maxInFlight).send(outbound).subscribe(this::onResult);
  }

  private void onResult(ReactiveSender.Result<Pending> r) {
    if (r.ok()) {
      sent.incrementAndGet();
      pending.decrementAndGet();
      long took = System.nanoTime() - r.correlation().startNanos();
      io.micrometer.core.instrument.Timer t = sendLatency;
      if (t != null) {
        t.record(took, TimeUnit.NANOSECONDS);
      }
      return;
    }
    lastError.set(r.exception().getMessage());
    if (r.exception() instanceof RetriableException) {
      // the client already retried for delivery.timeout.ms (broker away): send it again rather than lose it
      retried.incrementAndGet();
      retries.add(r.correlation().record());
    } else {
      failed.incrementAndGet();
      pending.decrementAndGet();
      LOG.warn("metaopt: a segment could not be sent and is dropped: {}", r.exception().getMessage());
    }
  }

  /** Records every acknowledged send's latency in {@code timer} from now on. */
  public void sendLatency(io.micrometer.core.instrument.Timer timer) {
    this.sendLatency = timer;
  }

  /** Binds the Kafka producer's own client metrics ({@code kafka.producer.*}) to {@code registry}. */
  public synchronized void bindClientMetrics(io.micrometer.core.instrument.MeterRegistry registry) {
    clientMetrics = new io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics(producer);
    clientMetrics.bindTo(registry);
  }

  /** Sends that failed transiently and were queued again. */
  public long retried() {
    return retried.get();
  }

  @Override
  public void send(Segment segment) throws InterruptedException {
    byte[] key = ByteBuffer.allocate(8).putLong(segment.particleId()).array();
    ProducerRecord<byte[], byte[]> r = new ProducerRecord<>(topic, key, WireFormat.encode(segment));
    pending.incrementAndGet();
    try {
      queue.put(r);
    } catch (InterruptedException e) {
      pending.decrementAndGet();
      throw e;
    }
  }

  public long sent() {
    return sent.get();
  }

  public long failed() {
    return failed.get();
  }

  public int queued() {
    return queue.size();
  }

  public String lastError() {
    return lastError.get();
  }

  /** Segments accepted and neither acknowledged nor dropped yet. */
  public long pending() {
    return pending.get();
  }

  /** {@link #close(Duration, Consumer)} with 30 s and the notice logged. */
  @Override
  public void close() {
    close(Duration.ofSeconds(30), m -> LOG.info("metaopt: {}", m));
  }

  /**
   * Waits up to {@code wait} for every accepted segment to be acknowledged, then stops and closes the producer. When
   * segments are still unacknowledged after a second, tells {@code say} once what it waits for and for how long; when
   * {@code wait} runs out, tells it how many segments were given up.
   */
  public void close(Duration wait, Consumer<String> say) {
    long t0 = System.nanoTime();
    long deadline = t0 + wait.toNanos();
    boolean said = false;
    while (pending.get() > 0 && System.nanoTime() < deadline) {
      if (!said && System.nanoTime() - t0 > 1_000_000_000L) {
        said = true;
        long n = pending.get();
        say.accept(String.format("waiting up to %d s for the broker at %s to acknowledge %d segment%s "
            + "(Ctrl-C again to stop at once)", wait.toSeconds(), bootstrapServers, n, n == 1 ? "" : "s"));
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    long lost = pending.get();
    pipeline.dispose();
    synchronized (this) {
      if (clientMetrics != null) {
        clientMetrics.close();
      }
    }
    producer.close(lost > 0 ? Duration.ZERO : Duration.ofSeconds(5));
    if (lost > 0) {
      say.accept(String.format("gave up after %d s: %d segment%s not acknowledged by %s", wait.toSeconds(), lost,
          lost == 1 ? " was" : "s were", bootstrapServers));
    }
  }
}
