package org.metaopt.metalearner;

/**
 * The learner's update latencies (decode, estimate, meta-step, transaction commit) of the last 16,384 versions, for
 * benchmarks. Added on the learner thread, read from any thread.
 */
final class UpdateLatencies {
  private final long[] nanos = new long[1 << 14];
  private long count;

  synchronized void add(long updateNanos) {
    nanos[(int) (count++ % nanos.length)] = updateNanos;
  }

  /** The recorded latencies in ms (in ring order once more than 16,384 were recorded). */
  synchronized double[] millis() {
    int n = (int) Math.min(count, nanos.length);
    double[] out = new double[n];
    for (int i = 0; i < n; i++) {
      out[i] = nanos[i] / 1e6;
    }
    return out;
  }
}
