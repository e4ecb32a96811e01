package org.metaopt.producer;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.metaopt.core.meta.Particle;
import org.metaopt.core.meta.Segment;
import org.metaopt.core.transport.SegmentSink;
import org.metaopt.core.transport.VersionChannel;
import org.metaopt.core.version.OptimizerVersion;

/**
 * A producer worker: runs its particles' unroll segments round-robin with the latest published optimizer
 * version and sends every segment to the sink. Runs on one thread ({@link #run()}) until {@link #stop()}; the
 * particles (and their tasks) belong to that thread.
 */
public final class UnrollWorker implements Runnable {
  private final List<Particle> particles;
  private final VersionChannel versions;
  private final SegmentSink sink;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final AtomicLong segmentsSent = new AtomicLong();
  private final AtomicLong innerSteps = new AtomicLong();
  private final AtomicLong diverged = new AtomicLong();
  private final double rawGradientFraction;
  private final java.util.SplittableRandom sampling;
  private volatile long lastVersion = -1;
  private volatile java.util.function.LongConsumer adoption;
  private volatile RuntimeException failure;

  public UnrollWorker(List<Particle> particles, VersionChannel versions, SegmentSink sink) {
    this(particles, versions, sink, 0, 0);
  }

  /**
   * @param rawGradientFraction fraction of segments (0..1) that carry their raw per-step gradients
   * @param samplingSeed seeds the choice of those segments
   */
  public UnrollWorker(List<Particle> particles, VersionChannel versions, SegmentSink sink, double rawGradientFraction,
      long samplingSeed) {
    if (!(rawGradientFraction >= 0 && rawGradientFraction <= 1)) {
      throw new org.metaopt.core.UserError("raw-gradient fraction " + rawGradientFraction + " must be in [0, 1]");
    }
    this.rawGradientFraction = rawGradientFraction;
    this.sampling = new java.util.SplittableRandom(samplingSeed);
    if (particles.isEmpty()) {
      throw new IllegalArgumentException("a worker needs at least one particle");
    }
    this.particles = List.copyOf(particles);
    this.versions = versions;
    this.sink = sink;
  }

  @Override
  public void run() {
    int next = 0;
    try {
      while (running.get()) {
        OptimizerVersion v = versions.latest().orElseThrow(
            () -> new IllegalStateException("no optimizer version published before workers started"));
        if (v.version() != lastVersion) {
          lastVersion = v.version();
          java.util.function.LongConsumer a = adoption;
          if (a != null) {
            a.accept(v.version());
          }
        }
        Particle particle = particles.get(next);
        if (rawGradientFraction > 0) {
          particle.recordRawGradients(sampling.nextDouble() < rawGradientFraction);
        }
        Segment s = particle.next(v.theta(), v.version());
        next = (next + 1) % particles.size();
        innerSteps.addAndGet(2L * s.steps());
        if (s.divergedPos() || s.divergedNeg()) {
          diverged.incrementAndGet();
        }
        sink.send(s);
        segmentsSent.incrementAndGet();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      failure = e; // the worker stops; its owner reports it (no stack trace on the thread)
      running.set(false);
    }
  }

  /** The error that stopped {@link #run()}, or null. */
  public RuntimeException failure() {
    return failure;
  }

  /** Called (on the worker thread) with each version the worker starts using, at its first segment with it. */
  public void onAdoption(java.util.function.LongConsumer listener) {
    this.adoption = listener;
  }

  /** The version the worker last started a segment with (-1 before the first). */
  public long lastVersion() {
    return lastVersion;
  }

  /** Asks the loop to end after the segment in progress. */
  public void stop() {
    running.set(false);
  }

  public long segmentsSent() {
    return segmentsSent.get();
  }

  /** Optimizee steps run (both sides of every pair). */
  public long innerSteps() {
    return innerSteps.get();
  }

  /** Segments in which a side diverged. */
  public long divergedSegments() {
    return diverged.get();
  }
}
