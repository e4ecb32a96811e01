package org.metaopt.stream.kafka;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscription;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;

/**
 * The sending half of our Reactor bridge over kafka-clients (reactor-kafka is discontinued and breaks on 4.x
 * transactions). One subscription to the outbound records feeds {@code producer.send}; at most {@code maxInFlight}
 * records are sent but not yet acknowledged, and upstream is asked for one more only when one is acknowledged, so
 * a slow broker slows the producers instead of filling memory. Every record yields one {@link Result}, in
 * acknowledgement order; a failed send is a result with its exception (the caller decides whether to retry), not an
 * error of the stream. No {@code Mono} per record.
 */
public final class ReactiveSender {
  private final Producer<byte[], byte[]> producer;
  private final int maxInFlight;

  /** A record to send and the caller's correlation object, returned with its result. */
  public record Outbound<T>(ProducerRecord<byte[], byte[]> record, T correlation) {}

  /** The outcome of one send: metadata on success, the exception otherwise. */
  public record Result<T>(T correlation, RecordMetadata metadata, Exception exception) {
    public boolean ok() {
      return exception == null;
    }
  }

  public ReactiveSender(Producer<byte[], byte[]> producer, int maxInFlight) {
    if (maxInFlight < 1) {
      throw new IllegalArgumentException("maxInFlight " + maxInFlight + " must be >= 1");
    }
    this.producer = producer;
    this.maxInFlight = maxInFlight;
  }

  /** Sends every record of {@code records}; completes after the last acknowledgement. Subscribe once per call. */
  public <T> Flux<Result<T>> send(Publisher<Outbound<T>> records) {
    return Flux.create(sink -> {
      SendSubscriber<T> sub = new SendSubscriber<>(sink);
      sink.onDispose(sub::dispose);
      Flux.from(records).subscribe(sub);
    }, FluxSink.OverflowStrategy.BUFFER);
  }

  private final class SendSubscriber<T> extends BaseSubscriber<Outbound<T>> {
    private final FluxSink<Result<T>> sink;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicBoolean upstreamDone = new AtomicBoolean();
    private final AtomicBoolean finished = new AtomicBoolean();

    SendSubscriber(FluxSink<Result<T>> sink) {
      this.sink = sink;
    }

    @Override
    protected void hookOnSubscribe(Subscription s) {
      s.request(maxInFlight);
    }

    @Override
    protected void hookOnNext(Outbound<T> out) {
      inFlight.incrementAndGet();
      try {
        producer.send(out.record(), (md, ex) -> {
          sink.next(new Result<>(out.correlation(), md, ex));
          inFlight.decrementAndGet();
          if (upstreamDone.get() && inFlight.get() == 0) {
            complete();
          } else if (!isDisposed()) {
            request(1);
          }
        });
      } catch (RuntimeException e) {
        // send() itself throws for records that can never be sent (too large, serializer, closed producer)
        inFlight.decrementAndGet();
        sink.next(new Result<>(out.correlation(), null, e));
        if (upstreamDone.get() && inFlight.get() == 0) {
          complete();
        } else {
          request(1);
        }
      }
    }

    @Override
    protected void hookOnComplete() {
      upstreamDone.set(true);
      if (inFlight.get() == 0) {
        complete();
      }
    }

    @Override
    protected void hookOnError(Throwable t) {
      if (finished.compareAndSet(false, true)) {
        sink.error(t);
      }
    }

    private void complete() {
      if (finished.compareAndSet(false, true)) {
        sink.complete();
      }
    }
  }
}
