package org.metaopt.stream.kafka;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;

/**
 * The receiving half of our Reactor bridge over kafka-clients. The consumer lives on one dedicated poll thread and
 * is never touched by any other. Records are emitted only against downstream demand: when there is none, the poll
 * thread pauses every assigned partition (it keeps polling, so the group membership stays alive) and resumes them
 * when demand returns. In {@link CommitMode#AFTER_ACK} mode an offset is committed only after downstream
 * acknowledged the record ({@link Received#ack()}), i.e. after the effect, by the poll thread before its next poll;
 * in {@link CommitMode#EXTERNAL} mode the receiver commits nothing (the offsets go into a Kafka transaction, with
 * {@link #groupMetadata()} for fencing).
 *
 * <p>One subscriber. Cancelling the subscription (or {@link Flux} completion) stops the thread and closes the
 * consumer.
 */
public final class ReactiveReceiver {
  private static final long MAX_BUFFERED = 10_000;

  private final Supplier<KafkaConsumer<byte[], byte[]>> consumerFactory;
  private final Options options;
  private final AtomicBoolean subscribed = new AtomicBoolean();
  private volatile ConsumerGroupMetadata groupMetadata;
  private final java.util.concurrent.atomic.AtomicReference<Runnable> rewind =
      new java.util.concurrent.atomic.AtomicReference<>();
  private volatile PollLoop active;

  /** Who acknowledges and commits. */
  public enum CommitMode {
    /** The receiver commits acknowledged offsets (at-least-once, after the effect). */
    AFTER_ACK,
    /** Nothing is committed by the receiver. */
    EXTERNAL
  }

  /**
   * What to consume.
   *
   * @param subscribe topics to subscribe to with the consumer group (null when {@code assign} is given)
   * @param assign partitions to assign manually, each with its start offset (null: committed or reset policy)
   * @param pollTimeout longest wait of one poll
   * @param commitMode who commits
   * @param onAssigned called on the poll thread when partitions are assigned (may be null)
   * @param onRevoked called on the poll thread when partitions are revoked or lost (may be null)
   */
  public record Options(Collection<String> subscribe, Map<TopicPartition, Long> assign, Duration pollTimeout,
      CommitMode commitMode, Consumer<Collection<TopicPartition>> onAssigned,
      Consumer<Collection<TopicPartition>> onRevoked) {

    public static Options subscribe(Collection<String> topics, CommitMode mode) {
      return new Options(List.copyOf(topics), null, Duration.ofMillis(100), mode, null, null);
    }

    public static Options assign(Map<TopicPartition, Long> startOffsets) {
      return new Options(null, new HashMap<>(startOffsets), Duration.ofMillis(100), CommitMode.EXTERNAL, null, null);
    }

    public Options withListeners(Consumer<Collection<TopicPartition>> assigned,
        Consumer<Collection<TopicPartition>> revoked) {
      return new Options(subscribe, assign, pollTimeout, commitMode, assigned, revoked);
    }
  }

  /** One record and its acknowledgement. */
  public record Received(ConsumerRecord<byte[], byte[]> record, Runnable ack) {
    public TopicPartition partition() {
      return new TopicPartition(record.topic(), record.partition());
    }
  }

  public ReactiveReceiver(Supplier<KafkaConsumer<byte[], byte[]>> consumerFactory, Options options) {
    if ((options.subscribe() == null) == (options.assign() == null)) {
      throw new IllegalArgumentException("give either topics to subscribe to or partitions to assign");
    }
    this.consumerFactory = consumerFactory;
    this.options = options;
  }

  /** The consumer's group metadata as of its last poll (null before the first), for sendOffsetsToTransaction. */
  public ConsumerGroupMetadata groupMetadata() {
    return groupMetadata;
  }

  /**
   * Asks the poll thread to seek every assigned partition back to its committed offset (the beginning when none)
   * and drop what it buffered; {@code afterRewind} then runs on the poll thread before any further record is
   * emitted (callers use it to mark records emitted earlier as stale). For a consumer whose effect failed to
   * commit, e.g. a transaction rejected after a rebalance.
   */
  public void rewind(Runnable afterRewind) {
    rewind.set(afterRewind);
    PollLoop l = active;
    if (l != null) {
      l.wake();
    }
  }

  /** The records; subscribe once. */
  public Flux<Received> receive() {
    return Flux.create(sink -> {
      if (!subscribed.compareAndSet(false, true)) {
        sink.error(new IllegalStateException("a ReactiveReceiver has one subscriber"));
        return;
      }
      PollLoop loop = new PollLoop(sink);
      active = loop;
      Thread t = new Thread(loop, "metaopt-kafka-poll");
      t.setDaemon(true);
      sink.onRequest(loop::requested);
      sink.onDispose(loop::stop);
      t.start();
    }, FluxSink.OverflowStrategy.ERROR);
  }

  private final class PollLoop implements Runnable {
    private final FluxSink<Received> sink;
    private final AtomicLong demand = new AtomicLong();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final ArrayDeque<ConsumerRecord<byte[], byte[]>> buffer = new ArrayDeque<>();
    private final Map<TopicPartition, Long> acked = new ConcurrentHashMap<>();
    private volatile KafkaConsumer<byte[], byte[]> consumer;
    private volatile boolean paused;

    PollLoop(FluxSink<Received> sink) {
      this.sink = sink;
    }

    void requested(long n) {
      long d = demand.accumulateAndGet(n, (a, b) -> a + b < 0 ? Long.MAX_VALUE : a + b);
      KafkaConsumer<byte[], byte[]> c = consumer;
      if (d > 0 && paused && c != null) {
        c.wakeup();
      }
    }

    void wake() {
      KafkaConsumer<byte[], byte[]> c = consumer;
      if (c != null) {
        c.wakeup();
      }
    }

    void stop() {
      running.set(false);
      KafkaConsumer<byte[], byte[]> c = consumer;
      if (c != null) {
        c.wakeup();
      }
    }

    @Override
    public void run() {
      try (KafkaConsumer<byte[], byte[]> c = consumerFactory.get()) {
        consumer = c;
        if (options.subscribe() != null) {
          c.subscribe(options.subscribe(), new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> parts) {
              commitAcked(c);
              dropBuffered(parts);
              if (options.onRevoked() != null) {
                options.onRevoked().accept(parts);
              }
            }

            @Override
            public void onPartitionsLost(Collection<TopicPartition> parts) {
              dropBuffered(parts);
              acked.keySet().removeAll(parts);
              if (options.onRevoked() != null) {
                options.onRevoked().accept(parts);
              }
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> parts) {
              if (options.onAssigned() != null) {
                options.onAssigned().accept(parts);
              }
            }
          });
        } else {
          c.assign(options.assign().keySet());
          options.assign().forEach((tp, off) -> {
            if (off != null) {
              c.seek(tp, off);
            }
          });
          if (options.onAssigned() != null) {
            options.onAssigned().accept(options.assign().keySet());
          }
        }
        while (running.get()) {
          Runnable after = rewind.getAndSet(null);
          if (after != null) {
            Set<TopicPartition> assigned = c.assignment();
            Map<TopicPartition, OffsetAndMetadata> committed = ignoringWakeup(() -> c.committed(assigned));
            for (TopicPartition tp : assigned) {
              OffsetAndMetadata o = committed.get(tp);
              if (o != null) {
                c.seek(tp, o.offset());
              } else {
                c.seekToBeginning(List.of(tp));
              }
            }
            buffer.clear();
            acked.clear();
            after.run();
          }
          commitAcked(c);
          emit();
          boolean wantMore = demand.get() > buffer.size() && buffer.size() < MAX_BUFFERED;
          Set<TopicPartition> assignment = c.assignment();
          if (!wantMore) {
            c.pause(assignment); // every time: partitions assigned since the last pause start unpaused
            paused = true;
          } else if (wantMore && paused) {
            c.resume(c.paused());
            paused = false;
          }
          try {
            ConsumerRecords<byte[], byte[]> records = c.poll(options.pollTimeout());
            records.forEach(buffer::add);
          } catch (WakeupException e) {
            // demand arrived or stop() was called: loop around
          }
          if (options.subscribe() != null) {
            groupMetadata = c.groupMetadata();
          }
        }
        commitAcked(c);
        sink.complete();
      } catch (RuntimeException e) {
        if (running.get()) {
          sink.error(e);
        }
      }
    }

    private void emit() {
      while (demand.get() > 0 && !buffer.isEmpty() && running.get()) {
        ConsumerRecord<byte[], byte[]> r = buffer.poll();
        demand.decrementAndGet();
        TopicPartition tp = new TopicPartition(r.topic(), r.partition());
        long next = r.offset() + 1;
        Runnable ack = options.commitMode() == CommitMode.AFTER_ACK
            ? () -> acked.merge(tp, next, Math::max) : () -> { };
        sink.next(new Received(r, ack));
      }
    }

    private void commitAcked(KafkaConsumer<byte[], byte[]> c) {
      if (acked.isEmpty()) {
        return;
      }
      Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
      for (TopicPartition tp : new HashSet<>(acked.keySet())) {
        Long off = acked.remove(tp);
        if (off != null) {
          offsets.put(tp, new OffsetAndMetadata(off));
        }
      }
      ignoringWakeup(() -> {
        c.commitSync(offsets);
        return null;
      });
    }

    /**
     * Runs a blocking consumer call; a wakeup meant for poll() (demand arrived, a rewind was asked) that lands on
     * it instead is consumed by the first attempt, so the second one runs to completion.
     */
    private <T> T ignoringWakeup(Supplier<T> call) {
      try {
        return call.get();
      } catch (WakeupException e) {
        return call.get();
      }
    }

    private void dropBuffered(Collection<TopicPartition> parts) {
      Set<TopicPartition> gone = new HashSet<>(parts);
      buffer.removeIf(r -> gone.contains(new TopicPartition(r.topic(), r.partition())));
    }
  }
}
