package org.metaopt.core.transport;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.metaopt.core.meta.Segment;
import org.metaopt.core.version.OptimizerVersion;

/**
 * The single-process transport of offline meta-training: a bounded queue of segments (senders block when it is
 * full, so fast workers cannot outrun the learner's memory) and the latest version in an atomic reference.
 * Thread-safe; one consumer of segments.
 */
public final class InMemoryTransport implements SegmentSink, SegmentSource, VersionChannel {
  private final BlockingQueue<Segment> segments;
  private final AtomicReference<OptimizerVersion> latest = new AtomicReference<>();

  /** @param capacity the most segments in flight (>= 1) */
  public InMemoryTransport(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity " + capacity + " must be >= 1");
    }
    this.segments = new ArrayBlockingQueue<>(capacity);
  }

  @Override
  public void send(Segment segment) throws InterruptedException {
    segments.put(segment);
  }

  @Override
  public List<Segment> poll(int maxCount, Duration maxWait) throws InterruptedException {
    List<Segment> out = new ArrayList<>(maxCount);
    long deadline = System.nanoTime() + maxWait.toNanos();
    while (out.size() < maxCount) {
      segments.drainTo(out, maxCount - out.size());
      if (out.size() >= maxCount) {
        break;
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        break;
      }
      Segment s = segments.poll(left, TimeUnit.NANOSECONDS);
      if (s != null) {
        out.add(s);
      }
    }
    return out;
  }

  @Override
  public void publish(OptimizerVersion version) {
    latest.accumulateAndGet(version, (old, v) -> old == null || v.version() > old.version() ? v : old);
  }

  @Override
  public Optional<OptimizerVersion> latest() {
    return Optional.ofNullable(latest.get());
  }

  /** Segments waiting. */
  public int backlog() {
    return segments.size();
  }
}
