package org.metaopt.ops.pipeline;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.metaopt.stream.kafka.KafkaSettings;
import org.metaopt.stream.wire.MalformedRecordException;
import org.metaopt.stream.wire.RecordFile;
import org.metaopt.stream.wire.RunRecord;
import org.metaopt.stream.wire.StoredRecord;
import org.metaopt.stream.wire.WireFormat;

/**
 * {@code metaopt runs}: the recorded runs ({@link RunRecord} chunks, written by the dl4j module's
 * {@code MetaoptListener}) on a trajectories topic or in an exported record file, summarized per run in order of
 * first appearance. Segments and other records are skipped by their envelope; a malformed run chunk is counted.
 * Not thread-safe: one listing per call.
 */
public final class RecordedRuns {
  private final Map<String, Summary> runs = new LinkedHashMap<>();
  private long malformed;

  /**
   * One run: identity, steps recorded, first and last loss, the last gradient norm, mean step time, whether its
   * last chunk arrived.
   */
  public record Summary(String runId, String model, long numParams, String optimizer, long optimizerVersion,
      String thetaSha256, long steps, long firstStep, long lastStep, double firstLoss, double lastLoss,
      double lastGradientNorm, double msPerStep, boolean complete, String started, String updated) {}

  /** Reads trajectories offsets {@code [from, to)} of {@code kafka}'s cluster. */
  public static RecordedRuns fromKafka(KafkaSettings kafka, long from, long to) {
    RecordedRuns out = new RecordedRuns();
    TopicPartition tp = new TopicPartition(kafka.topics().trajectories(), 0);
    try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(kafka.consumer("metaopt-runs", null))) {
      c.assign(List.of(tp));
      long end = Math.min(to, c.endOffsets(List.of(tp), Duration.ofSeconds(30)).get(tp));
      long begin = Math.max(from, c.beginningOffsets(List.of(tp), Duration.ofSeconds(30)).get(tp));
      if (begin < end) {
        c.seek(tp, begin);
        while (c.position(tp) < end) {
          for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(500))) {
            if (r.offset() < end) {
              out.offer(r.value());
            }
          }
        }
      }
    }
    return out;
  }

  /** Reads the trajectories records of an exported record file ({@code metaopt export}). */
  public static RecordedRuns fromFile(Path file) {
    RecordedRuns out = new RecordedRuns();
    try (RecordFile.Reader reader = RecordFile.Reader.open(file)) {
      for (StoredRecord s : reader) {
        if (s.topic().endsWith(".trajectories.v1")) {
          out.offer(s.value());
        }
      }
    }
    return out;
  }

  /** Takes one record value: a run chunk is added to its run, anything else ignored. */
  void offer(byte[] value) {
    if (!WireFormat.isRecordedRun(value)) {
      return;
    }
    try {
      add(WireFormat.decodeRun(value));
    } catch (MalformedRecordException e) {
      malformed++;
    }
  }

  private void add(RunRecord c) {
    Summary s = runs.get(c.runId());
    int n = c.steps();
    double ms = meanFinite(c.stepMillis());
    if (s == null) {
      s = new Summary(c.runId(), c.model(), c.numParams(), c.optimizer(), c.optimizerVersion(), c.thetaSha256(), 0,
          c.stepOffset(), c.stepOffset(), n > 0 ? c.losses()[0] : Double.NaN, Double.NaN, Double.NaN, Double.NaN,
          false, c.createdAt(), c.createdAt());
    }
    long steps = s.steps() + n;
    double msPerStep = Double.isNaN(ms) ? s.msPerStep() : Double.isNaN(s.msPerStep()) ? ms
        : (s.msPerStep() * s.steps() + ms * n) / Math.max(1, steps);
    runs.put(c.runId(), new Summary(s.runId(), s.model(), s.numParams(), s.optimizer(), s.optimizerVersion(),
        s.thetaSha256(), steps, Math.min(s.firstStep(), c.stepOffset()), Math.max(s.lastStep(), c.stepEnd() - 1),
        Double.isNaN(s.firstLoss()) && n > 0 ? c.losses()[0] : s.firstLoss(),
        n > 0 ? c.losses()[n - 1] : s.lastLoss(), n > 0 ? c.gradientNorms()[n - 1] : s.lastGradientNorm(),
        msPerStep, s.complete() || c.last(), s.started(), c.createdAt()));
  }

  private static double meanFinite(float[] xs) {
    double sum = 0;
    int n = 0;
    for (float x : xs) {
      if (Float.isFinite(x)) {
        sum += x;
        n++;
      }
    }
    return n == 0 ? Double.NaN : sum / n;
  }

  /** The runs, in order of first appearance. */
  public List<Summary> summaries() {
    return new ArrayList<>(runs.values());
  }

  /** Run chunks that could not be decoded. */
  public long malformed() {
    return malformed;
  }
}
