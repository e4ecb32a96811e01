package org.metaopt.ops.pipeline;

import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongFunction;
import org.metaopt.core.meta.MetaTrainConfigs;
import org.metaopt.core.version.OptimizerVersion;
import org.metaopt.core.version.VersionFiles;
import org.metaopt.metalearner.KafkaLearner;
import org.metaopt.metalearner.LearnerLag;
import org.metaopt.metalearner.MetaLearner;
import org.metaopt.stream.kafka.KafkaSettings;

/**
 * The demo's learner: a {@link KafkaLearner} on a daemon thread that writes every version it activates or publishes
 * to the run's versions folder and a line per published version to metrics.jsonl, plus its consumer-lag gauge.
 */
final class DemoLearner {
  private final AtomicReference<OptimizerVersion> latest = new AtomicReference<>();
  private final AtomicReference<MetaLearner.StepReport> lastReport = new AtomicReference<>();
  private final long t0;
  private final LongFunction<Path> versionFile;
  private final JsonLinesFile metrics;
  private final KafkaLearner learner;
  private final LearnerLag lag;
  private final Thread thread;
  private long droppedNonFinite; // learner thread only

  private DemoLearner(KafkaSettings kafka, MetaTrainConfigs.Loaded meta, long t0, Path metricsFile,
      LongFunction<Path> versionFile, MeterRegistry registry) throws IOException {
    this.t0 = t0;
    this.versionFile = versionFile;
    this.metrics = new JsonLinesFile(metricsFile);
    this.learner = new KafkaLearner(kafka, meta, new Listener());
    this.lag = new LearnerLag(kafka, Duration.ofSeconds(1));
    if (registry != null) {
      learner.metrics(registry);
      lag.bindTo(registry);
    }
    this.thread = new Thread(learner::run, "metaopt-learner"); // ends early only with learner.failure()
    thread.setDaemon(true);
  }

  /**
   * Creates the learner (its meters in {@code registry} unless null) and starts its thread. {@code t0} is the
   * demo's start ({@link System#nanoTime()}) for the metrics' seconds; {@code versionFile} names a version's file.
   */
  static DemoLearner start(KafkaSettings kafka, MetaTrainConfigs.Loaded meta, long t0, Path metricsFile,
      LongFunction<Path> versionFile, MeterRegistry registry, OptimizerVersion warmStart) throws IOException {
    DemoLearner l = new DemoLearner(kafka, meta, t0, metricsFile, versionFile, registry);
    if (warmStart != null) {
      l.learner.warmStart(warmStart);
    }
    l.thread.start();
    return l;
  }

  KafkaLearner learner() {
    return learner;
  }

  /** The newest version activated or published; null before the first. */
  OptimizerVersion latest() {
    return latest.get();
  }

  /** The newest published version's step report; null before the first. */
  MetaLearner.StepReport lastReport() {
    return lastReport.get();
  }

  /** Stops the learner, waits up to 30 s for its thread and closes the lag gauge. metrics.jsonl stays open. */
  void stop() throws InterruptedException {
    learner.close();
    thread.join(30_000);
    lag.close();
  }

  void closeMetrics() throws IOException {
    metrics.close();
  }

  private Map<String, Object> metricsLine(OptimizerVersion v, MetaLearner.StepReport r) {
    droppedNonFinite += r.droppedNonFinite();
    Map<String, Object> line = org.metaopt.ops.report.MetricsPoint.line(v, (System.nanoTime() - t0) / 1e9, r,
        learner.droppedStale(), droppedNonFinite);
    line.put("window", v.provenance().window());
    return line;
  }

  private final class Listener implements KafkaLearner.Listener {
    @Override
    public void onActive(OptimizerVersion from) {
      latest.set(from);
      VersionFiles.write(from, versionFile.apply(from.version()));
    }

    @Override
    public void onVersion(OptimizerVersion v, MetaLearner.StepReport r) {
      latest.set(v);
      lastReport.set(r);
      VersionFiles.write(v, versionFile.apply(v.version()));
      metrics.append(metricsLine(v, r));
    }
  }
}
