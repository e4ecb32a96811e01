package org.metaopt.metalearner;

import java.util.Arrays;
import java.util.List;
import org.metaopt.stream.wire.RunRecord;
import org.metaopt.core.meta.Segment;

/**
 * What the windows read since the learner's last commit add to its counters: decoded segments, stale drops, skipped
 * windows, each segment's version lag and the recorded-run chunks read alongside. Applied when the transaction that
 * commits their offsets commits, dropped when it aborts (the windows are then read again), so a window is counted
 * exactly once however often it is read.
 * Written on the learner thread; {@link #segments()} may be read from any thread.
 */
final class UncommittedCounts {
  private volatile long segments;
  private long stale;
  private int skippedWindows;
  private long runChunks;
  private long runSteps;
  private long[] lags = new long[64];
  private int lagCount;

  /** A window's decoded segments, read at learner version {@code current}, and what the update made of them. */
  void window(List<Segment> decoded, long current, MetaLearner.StepReport report) {
    segments += decoded.size();
    stale += report.droppedStale();
    if (!report.published()) {
      skippedWindows++;
    }
    if (lagCount + decoded.size() > lags.length) {
      lags = Arrays.copyOf(lags, Math.max(lags.length * 2, lagCount + decoded.size()));
    }
    for (Segment s : decoded) {
      lags[lagCount++] = Math.max(0, current - s.baseVersion());
    }
  }

  /** A window's recorded-run chunks ({@code MetaoptListener}'s; no estimate uses them, their offsets commit). */
  void runs(List<RunRecord> chunks) {
    runChunks += chunks.size();
    for (RunRecord r : chunks) {
      runSteps += r.steps();
    }
  }

  long runChunks() {
    return runChunks;
  }

  long runSteps() {
    return runSteps;
  }

  /** Decoded segments not committed yet. */
  long segments() {
    return segments;
  }

  long stale() {
    return stale;
  }

  int skippedWindows() {
    return skippedWindows;
  }

  /** Each uncommitted segment's version lag, in reading order. */
  long[] lags() {
    return Arrays.copyOf(lags, lagCount);
  }

  /** After a commit (the counts were applied) or an abort (the windows will be read again). */
  void clear() {
    segments = 0;
    stale = 0;
    skippedWindows = 0;
    runChunks = 0;
    runSteps = 0;
    lagCount = 0;
    if (lags.length > 4096) {
      lags = new long[64]; // a long backlog once does not keep its buffer forever
    }
  }
}
