package org.metaopt.ops.pipeline;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The demo's memory and thread footprint over a run: heap in use right after a full collection and the live thread
 * count, sampled when the services are up, every {@code every} seconds while they run and at the end (before they
 * stop). A long run whose samples stay level leaks neither memory nor threads. Sampling forces a collection
 * ({@link System#gc()}); at the demo's heap (~100 MiB) that takes tens of milliseconds, once per interval.
 * Not thread-safe: one sampling thread.
 */
final class JvmFootprint {
  /** One sample: seconds since the run started, heap after GC in MiB, live and peak thread counts. */
  record Sample(double seconds, double heapAfterGcMiB, int liveThreads, int peakThreads) {
    Map<String, Object> json() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("seconds", Math.round(seconds));
      m.put("heapAfterGcMiB", Math.round(heapAfterGcMiB * 10) / 10.0);
      m.put("liveThreads", liveThreads);
      m.put("peakThreads", peakThreads);
      return m;
    }
  }

  private final long t0;
  private final long everyNanos;
  private final List<Sample> samples = new ArrayList<>();
  private long next;

  /** Samples are timed from {@code t0} ({@link System#nanoTime()}); {@link #maybeSample()} takes one per interval. */
  JvmFootprint(long t0, double everySeconds) {
    this.t0 = t0;
    this.everyNanos = (long) (everySeconds * 1e9);
  }

  /** Takes a sample now (forcing a collection) and returns it. */
  Sample sample() {
    Sample s = measure((System.nanoTime() - t0) / 1e9);
    samples.add(s);
    next = System.nanoTime() + everyNanos;
    return s;
  }

  /** Takes a sample if the interval since the last one has passed; returns it, or null. */
  Sample maybeSample() {
    return System.nanoTime() >= next ? sample() : null;
  }

  List<Sample> samples() {
    return List.copyOf(samples);
  }

  Sample first() {
    return samples.get(0);
  }

  Sample last() {
    return samples.get(samples.size() - 1);
  }

  /** The largest heap after GC over the samples. */
  double maxHeapAfterGcMiB() {
    return samples.stream().mapToDouble(Sample::heapAfterGcMiB).max().orElse(Double.NaN);
  }

  int maxLiveThreads() {
    return samples.stream().mapToInt(Sample::liveThreads).max().orElse(0);
  }

  /** One line for summary.md: start → end, with the maxima over all samples. */
  String line() {
    Sample a = first();
    Sample b = last();
    return String.format("JVM footprint (heap in use after a full GC; live threads), %d samples from the services' "
        + "start to the end: heap %.1f MiB at %.0f s → %.1f MiB at %.0f s (max %.1f MiB); live threads %d → %d "
        + "(max %d).", samples.size(), a.heapAfterGcMiB(), a.seconds(), b.heapAfterGcMiB(), b.seconds(),
        maxHeapAfterGcMiB(), a.liveThreads(), b.liveThreads(), maxLiveThreads());
  }

  private static Sample measure(double seconds) {
    for (int i = 0; i < 2; i++) {
      System.gc();
    }
    var heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
    var threads = ManagementFactory.getThreadMXBean();
    return new Sample(seconds, heap.getUsed() / 1048576.0, threads.getThreadCount(), threads.getPeakThreadCount());
  }
}
