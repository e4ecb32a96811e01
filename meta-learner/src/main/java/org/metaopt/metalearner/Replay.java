package org.metaopt.metalearner;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.metaopt.core.UserError;
import org.metaopt.stream.kafka.KafkaSettings;
import org.metaopt.stream.kafka.OffsetRanges;
import org.metaopt.stream.kafka.VersionLog;
import org.metaopt.core.meta.Segment;
import org.metaopt.core.meta.MetaTrainConfigs;
import org.metaopt.core.version.OptimizerVersion;
import org.metaopt.stream.wire.MalformedRecordException;
import org.metaopt.stream.wire.WireFormat;

/**
 * Feeds recorded trajectories into a fresh learner, with no producers. Windows are either the ones the live
 * learner used ({@link WindowMode#RECORDED}: the offset ranges in the recorded versions' provenance, which makes
 * the replayed SHA-256 chain identical to the recorded one under the same config) or consecutive runs of the
 * config's window size ({@link WindowMode#COUNT}, for re-weighted objectives or streams without recorded
 * versions). Offsets are the records' original ones: imported records carry them in the {@link #ORIGIN_OFFSET}
 * header.
 */
public final class Replay {
  /** Header holding a record's offset in the stream it was exported from. */
  public static final String ORIGIN_OFFSET = "metaopt.origin.offset";

  private final KafkaSettings kafka;
  private final MetaTrainConfigs.Loaded config;

  /** How windows are formed. */
  public enum WindowMode { RECORDED, COUNT }

  /**
   * What a replay did.
   *
   * @param versions versions produced
   * @param compared how many of them had a recorded counterpart
   * @param mismatches how many of those had a different θ SHA-256
   * @param firstMismatch the first differing version number, -1 if none
   * @param start the version replay started from
   * @param records trajectory records read
   * @param malformed records that could not be decoded (skipped, as the live learner sends them to the DLQ)
   */
  public record Result(List<OptimizerVersion> versions, int compared, int mismatches, long firstMismatch,
      OptimizerVersion start, long records, long malformed) {}

  public Replay(KafkaSettings kafka, MetaTrainConfigs.Loaded config) {
    this.kafka = kafka;
    this.config = config;
  }

  /**
   * Replays trajectory offsets {@code [from, to)} of partition 0.
   *
   * @param to exclusive end, or {@link Long#MAX_VALUE} for the current end
   */
  public Result run(long from, long to, WindowMode mode, Consumer<OptimizerVersion> onVersion) {
    Duration timeout = Duration.ofSeconds(60);
    List<OptimizerVersion> recorded = VersionLog.readAll(kafka, timeout);
    Map<Long, OptimizerVersion> byNumber = new HashMap<>();
    recorded.forEach(v -> byNumber.put(v.version(), v));
    String topic = kafka.topics().trajectories();

    OptimizerVersion.Provenance prov = LearnerSetup.provenance(config, "replay");
    Plan plan = mode == WindowMode.RECORDED ? recordedPlan(recorded, byNumber, from, to, topic, prov)
        : new Plan(LearnerSetup.initialVersion(config, prov), List.of());

    MetaLearner learner = new MetaLearner(plan.start(), LearnerSetup.settings(config, prov));
    Pass pass = new Pass(new TopicPartition(topic, 0), from, to, mode, plan.windows(), learner, byNumber, onVersion);
    consume(pass, timeout);
    return new Result(pass.out, pass.compared, pass.mismatches, pass.firstMismatch, plan.start(), pass.count,
        pass.malformed);
  }

  /** Where replay starts, and its windows as {@code [start, end)} in original offsets (recorded mode only). */
  private record Plan(OptimizerVersion start, List<long[]> windows) {}

  /** The recorded versions' windows within {@code [from, to)}, starting from the first one's parent. */
  private Plan recordedPlan(List<OptimizerVersion> recorded, Map<Long, OptimizerVersion> byNumber, long from, long to,
      String topic, OptimizerVersion.Provenance prov) {
    List<OptimizerVersion> inRange = recorded.stream().filter(v -> v.version() > 0)
        .sorted(Comparator.comparingLong(OptimizerVersion::version)).filter(v -> {
          List<OffsetRanges.Range> r = OffsetRanges.parse(v.provenance().window());
          // by suffix: imported streams live under another prefix
          return r.size() == 1 && r.get(0).partition().topic().endsWith(".trajectories.v1") && r.get(0).from() >= from
              && r.get(0).to() <= to;
        }).toList();
    if (inRange.isEmpty()) {
      throw new UserError("no recorded version on " + kafka.topics().versions() + " covers offsets " + from + ".."
          + (to == Long.MAX_VALUE ? "end" : to) + " of " + topic + "; replay with --windows count instead");
    }
    List<long[]> windows = new ArrayList<>();
    for (OptimizerVersion v : inRange) {
      OffsetRanges.Range r = OffsetRanges.parse(v.provenance().window()).get(0);
      windows.add(new long[] {r.from(), r.to()});
    }
    long parent = inRange.get(0).parent();
    OptimizerVersion start = parent == 0 ? LearnerSetup.initialVersion(config, prov) : byNumber.get(parent);
    if (start == null) {
      throw new UserError("the version before the replayed range (" + parent + ") is not on "
          + kafka.topics().versions() + "; export/import it too, or replay from offset 0");
    }
    return new Plan(start, windows);
  }

  /** Reads the partition from its beginning into {@code pass} until the pass is done or the topic's end. */
  private void consume(Pass pass, Duration timeout) {
    TopicPartition tp = pass.tp;
    try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(kafka.consumer("metaopt-replay", null))) {
      c.assign(List.of(tp));
      c.seekToBeginning(List.of(tp));
      boolean done = false;
      while (!done) {
        var polled = c.poll(Duration.ofMillis(500));
        if (polled.isEmpty() && c.position(tp) >= c.endOffsets(List.of(tp), timeout).get(tp)) {
          break;
        }
        for (ConsumerRecord<byte[], byte[]> r : polled) {
          if (!pass.offer(r)) {
            done = true;
            break;
          }
        }
      }
    }
  }

  /** One replay over a range: forms the windows, updates the learner and compares with the recorded chain. */
  private final class Pass {
    final TopicPartition tp;
    private final long from;
    private final long end; // in original offsets; consume also stops at the topic's end
    private final WindowMode mode;
    private final List<long[]> windows;
    private final MetaLearner learner;
    private final Map<Long, OptimizerVersion> recorded;
    private final Consumer<OptimizerVersion> onVersion;
    final List<OptimizerVersion> out = new ArrayList<>();
    int compared;
    int mismatches;
    long firstMismatch = -1;
    long count;
    long malformed;
    private final List<Segment> window = new ArrayList<>();
    private long windowFrom = -1;
    private int wi;

    Pass(TopicPartition tp, long from, long end, WindowMode mode, List<long[]> windows, MetaLearner learner,
        Map<Long, OptimizerVersion> recorded, Consumer<OptimizerVersion> onVersion) {
      this.tp = tp;
      this.from = from;
      this.end = end;
      this.mode = mode;
      this.windows = windows;
      this.learner = learner;
      this.recorded = recorded;
      this.onVersion = onVersion;
    }

    /** Takes one record; false once the range (or, in recorded mode, the last window) has ended. */
    boolean offer(ConsumerRecord<byte[], byte[]> r) {
      long off = originOffset(r);
      if (off < from) {
        return true;
      }
      if (off >= end || (mode == WindowMode.RECORDED && wi >= windows.size())) {
        return false;
      }
      if (mode == WindowMode.RECORDED && off < windows.get(wi)[0]) {
        return true; // before the first recorded window
      }
      count++;
      if (windowFrom < 0) {
        windowFrom = off;
      }
      try {
        Segment s = WireFormat.segmentOrNullForRun(r.value()); // null: a recorded run, as in the live learner
        if (s != null) {
          window.add(s);
        }
      } catch (MalformedRecordException e) {
        malformed++;
      }
      boolean close = mode == WindowMode.RECORDED ? off + 1 >= windows.get(wi)[1]
          : count % config.windowSegments() == 0;
      if (close) {
        closeWindow(off);
      }
      return true;
    }

    /** Updates the learner with the window ending at {@code off}. */
    private void closeWindow(long off) {
      Map<TopicPartition, long[]> range = OffsetRanges.newMap();
      range.put(tp, new long[] {windowFrom, off + 1});
      MetaLearner.StepReport rep = learner.update(window, OffsetRanges.format(range));
      window.clear();
      if (rep.published()) {
        windowFrom = -1;
        published(learner.current());
      }
      if (mode == WindowMode.RECORDED) {
        wi++;
      }
    }

    private void published(OptimizerVersion v) {
      out.add(v);
      onVersion.accept(v);
      OptimizerVersion rec = recorded.get(v.version());
      if (mode == WindowMode.RECORDED && rec != null) {
        compared++;
        if (!rec.thetaSha256().equals(v.thetaSha256())) {
          mismatches++;
          if (firstMismatch < 0) {
            firstMismatch = v.version();
          }
        }
      }
    }
  }

  private static long originOffset(ConsumerRecord<byte[], byte[]> r) {
    Header h = r.headers().lastHeader(ORIGIN_OFFSET);
    return h != null && h.value().length == 8 ? ByteBuffer.wrap(h.value()).getLong() : r.offset();
  }
}
