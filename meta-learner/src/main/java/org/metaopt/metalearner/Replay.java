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

    // windows: [start, end) in original offsets
    List<long[]> windows = new ArrayList<>();
    OptimizerVersion start;
    OptimizerVersion.Provenance prov = LearnerSetup.provenance(config, "replay");
    if (mode == WindowMode.RECORDED) {
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
      for (OptimizerVersion v : inRange) {
        OffsetRanges.Range r = OffsetRanges.parse(v.provenance().window()).get(0);
        windows.add(new long[] {r.from(), r.to()});
      }
      long parent = inRange.get(0).parent();
      start = parent == 0 ? LearnerSetup.initialVersion(config, prov) : byNumber.get(parent);
      if (start == null) {
        throw new UserError("the version before the replayed range (" + parent + ") is not on "
            + kafka.topics().versions() + "; export/import it too, or replay from offset 0");
      }
    } else {
      start = LearnerSetup.initialVersion(config, prov);
    }

    MetaLearner learner = new MetaLearner(null, null, start, LearnerSetup.settings(config, prov));
    List<OptimizerVersion> out = new ArrayList<>();
    int compared = 0;
    int mismatches = 0;
    long firstMismatch = -1;
    long count = 0;
    long malformed = 0;
    TopicPartition tp = new TopicPartition(topic, 0);
    try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(kafka.consumer("metaopt-replay", null))) {
      c.assign(List.of(tp));
      long end = to; // in original offsets; the loop also stops at the topic's end
      c.seekToBeginning(List.of(tp));
      List<Segment> window = new ArrayList<>();
      long windowFrom = -1;
      int wi = 0;
      boolean done = false;
      while (!done) {
        var polled = c.poll(Duration.ofMillis(500));
        if (polled.isEmpty() && c.position(tp) >= c.endOffsets(List.of(tp), timeout).get(tp)) {
          break;
        }
        for (ConsumerRecord<byte[], byte[]> r : polled) {
          long off = originOffset(r);
          if (off < from) {
            continue;
          }
          if (off >= end || (mode == WindowMode.RECORDED && wi >= windows.size())) {
            done = true;
            break;
          }
          if (mode == WindowMode.RECORDED && off < windows.get(wi)[0]) {
            continue; // before the first recorded window
          }
          count++;
          if (windowFrom < 0) {
            windowFrom = off;
          }
          try {
            window.add(WireFormat.decodeSegment(r.value()));
          } catch (MalformedRecordException e) {
            malformed++;
          }
          boolean close = mode == WindowMode.RECORDED ? off + 1 >= windows.get(wi)[1]
              : count % config.windowSegments() == 0;
          if (close) {
            Map<TopicPartition, long[]> range = OffsetRanges.newMap();
            range.put(tp, new long[] {windowFrom, off + 1});
            MetaLearner.StepReport rep = learner.update(window, OffsetRanges.format(range));
            window.clear();
            if (rep.published()) {
              windowFrom = -1;
              OptimizerVersion v = learner.current();
              out.add(v);
              onVersion.accept(v);
              OptimizerVersion rec = byNumber.get(v.version());
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
            if (mode == WindowMode.RECORDED) {
              wi++;
            }
          }
        }
      }
    }
    return new Result(out, compared, mismatches, firstMismatch, start, count, malformed);
  }

  private static long originOffset(ConsumerRecord<byte[], byte[]> r) {
    Header h = r.headers().lastHeader(ORIGIN_OFFSET);
    return h != null && h.value().length == 8 ? ByteBuffer.wrap(h.value()).getLong() : r.offset();
  }
}
