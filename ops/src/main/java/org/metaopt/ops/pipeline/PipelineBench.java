package org.metaopt.ops.pipeline;

import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.metaopt.stream.kafka.EmbeddedBroker;
import org.metaopt.stream.kafka.KafkaSettings;
import org.metaopt.stream.kafka.Topics;
import org.metaopt.core.meta.MetaTrainConfigs;
import org.metaopt.core.spec.TaskFactory;
import org.metaopt.core.version.OptimizerVersion;
import org.metaopt.metalearner.KafkaLearner;
import org.metaopt.metalearner.MetaLearner;
import org.metaopt.producer.ProducerService;
import org.metaopt.producer.UnrollWorker;

/**
 * {@code metaopt bench-pipeline}: end-to-end figures of the streaming pipeline on the embedded broker, all services
 * in this JVM, on the demo's synthetic tasks. (1) Free run: segments/s through the learner, learner update latency
 * (decode + estimate + meta-step + transaction commit) and version publish-to-adoption latency (commit to the first
 * segment a worker starts with it). (2) Back-pressure: the learner throttled to about a tenth of the producers'
 * rate; lag and heap after GC sampled over time. {@link #runLearnerOnly()}: the learner's own ceiling, with celo2 —
 * segments recorded first (producers only), then one learner reads the backlog as fast as the broker delivers it.
 */
public final class PipelineBench {
  private final Path dir;
  private final Duration phase;
  private final PrintWriter out;

  public PipelineBench(Path dir, Duration phase, PrintWriter out) {
    this.dir = dir;
    this.phase = phase;
    this.out = out;
  }

  public void run() throws Exception {
    Path config = DemoConfigs.write(dir.resolve("config"), false);
    MetaTrainConfigs.Loaded meta = MetaTrainConfigs.load(config.resolve("meta.yaml"));
    emptyScratchBroker(dir.resolve("broker")); // a previous run's topics would be read as a backlog
    try (EmbeddedBroker broker = EmbeddedBroker.start(dir.resolve("broker"), 0)) {
      double producerRate = freeRun(broker, meta);
      backPressure(broker, meta, producerRate);
    }
  }

  /**
   * The learner's ceiling: {@code phase} of producers (2 workers, the demo's celo2 config on the cheap synthetic demo
   * tasks) record segments while the only learner sleeps after publishing version 0 (and at most one window); then a
   * second learner takes over (fencing the first) and is timed until it has consumed the backlog. Staleness is lifted
   * (every segment is used), so the figure is the learner's decode + estimate + meta-step + transaction cost, not the
   * producers' nor stale drops. Run twice: at {@code window.maxSegments} 64 and at the demo config's 512, since each
   * version costs one Kafka transaction whatever its size.
   */
  public void runLearnerOnly() throws Exception {
    emptyScratchBroker(dir.resolve("broker"));
    try (EmbeddedBroker broker = EmbeddedBroker.start(dir.resolve("broker"), 0)) {
      int run = 0;
      for (int maxSegments : new int[] {64, 512}) { // a small window.maxSegments and the demo config's
        Path configDir = DemoConfigs.write(dir.resolve("config-learner-" + maxSegments), false, DemoConfigs.Meta.CELO2);
        Path metaFile = configDir.resolve("meta.yaml");
        // the cheap demo tasks (100-step quadratics, small nets, Rosenbrock), so producers record a large backlog
        // quickly: the learner's cost per segment depends on celo2's θ and the seeds, not on the task
        DemoConfigs.writeTasks(configDir, false, DemoConfigs.Meta.MLP_LOPT);
        java.nio.file.Files.writeString(metaFile, java.nio.file.Files.readString(metaFile)
            .replace("maxStaleness: 4", "maxStaleness: 1000000")
            .replace("maxSegments: 512", "maxSegments: " + maxSegments));
        learnerOnly(broker, MetaTrainConfigs.load(metaFile), "bench" + (3 + run++));
      }
    }
  }

  private void learnerOnly(EmbeddedBroker broker, MetaTrainConfigs.Loaded meta, String prefix) throws Exception {
    KafkaSettings k = KafkaSettings.of(broker.bootstrapServers()).withTopics(new Topics(prefix));
    k.topics().ensure(k, Duration.ofSeconds(60));
    // a learner that publishes version 0 and then sleeps (after at most one window), so producers can record
    KafkaLearner first = new KafkaLearner(k, meta, new KafkaLearner.Listener() { }).throttle(Duration.ofDays(1));
    Thread ft = new Thread(first::run, "bench-learner-asleep");
    ft.start();
    ProducerService producer = new ProducerService(k, meta, new TaskFactory(null),
        ProducerService.Options.defaults(2));
    producer.start(Duration.ofSeconds(60));
    Thread.sleep(phase.toMillis());
    producer.close();
    first.close();
    ft.interrupt();
    ft.join(30_000);
    long recorded = org.metaopt.stream.kafka.Offsets.end(k, k.topics().trajectories())
        - Math.max(0, org.metaopt.stream.kafka.Offsets.learnerCommitted(k));
    long[] firstCommit = {0, 0}; // time, segments consumed at the first committed version
    KafkaLearner[] self = new KafkaLearner[1];
    KafkaLearner learner = new KafkaLearner(k, meta, new KafkaLearner.Listener() {
      @Override
      public void onVersion(OptimizerVersion v, MetaLearner.StepReport r) {
        if (firstCommit[0] == 0) {
          firstCommit[0] = System.nanoTime();
          firstCommit[1] = self[0].segmentsConsumed();
        }
      }

      @Override
      public void onRestart(String reason) {
        out.println("learner restarted: " + reason);
        out.flush();
      }
    });
    self[0] = learner;
    Thread lt = new Thread(learner::run, "bench-learner-only");
    long t0 = System.nanoTime();
    lt.start();
    long deadline = t0 + Math.max(phase.toNanos() * 10, Duration.ofMinutes(2).toNanos());
    while (learner.segmentsConsumed() + learner.segmentsUncommitted() < recorded && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    long t1 = System.nanoTime();
    double secs = (t1 - t0) / 1e9;
    double steadySecs = firstCommit[0] == 0 ? Double.NaN : (t1 - firstCommit[0]) / 1e9;
    long consumed = learner.segmentsConsumed();
    long versions = learner.versionsPublished();
    learner.close();
    lt.join(30_000);
    double[] update = learner.updateLatenciesMillis();
    out.printf("## Learner only (celo2, window.maxSegments %d: %d segments recorded by 2 workers in %d s, then read "
        + "as a backlog)%n%n", meta.windowMaxSegments(), recorded, phase.toSeconds());
    out.println("| measure | value |");
    out.println("|---|---:|");
    out.printf("| segments consumed | %d of %d%s |%n", consumed, recorded, consumed < recorded ? " (timed out)" : "");
    out.printf("| seconds from learner start (includes its start-up and activation) | %.2f |%n", secs);
    out.printf("| segments/s from learner start | %.0f |%n", consumed / secs);
    out.printf("| segments/s after the first committed version (steady state) | %.0f |%n",
        (consumed - firstCommit[1]) / steadySecs);
    out.printf("| versions/s committed | %.1f |%n", versions / secs);
    out.printf("| segments per version | %.1f |%n", versions == 0 ? Double.NaN : (double) consumed / versions);
    out.printf("| update latency p50 / p99 (ms, %d updates) | %.2f / %.2f |%n", update.length, pct(update, 50),
        pct(update, 99));
    out.println();
    out.flush();
  }

  private static void emptyScratchBroker(Path broker) throws java.io.IOException {
    if (!java.nio.file.Files.isDirectory(broker)) {
      return;
    }
    try (java.util.stream.Stream<Path> files = java.nio.file.Files.walk(broker)) {
      for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
        java.nio.file.Files.delete(f);
      }
    }
  }

  private double freeRun(EmbeddedBroker broker, MetaTrainConfigs.Loaded meta) throws Exception {
    KafkaSettings k = KafkaSettings.of(broker.bootstrapServers()).withTopics(new Topics("bench1"));
    k.topics().ensure(k, Duration.ofSeconds(60));
    Map<Long, Long> committedAt = new ConcurrentHashMap<>();
    Map<Long, Long> adoptedAt = new ConcurrentHashMap<>();
    KafkaLearner learner = new KafkaLearner(k, meta, new KafkaLearner.Listener() {
      @Override
      public void onVersion(OptimizerVersion v, MetaLearner.StepReport r) {
        committedAt.put(v.version(), System.nanoTime());
      }
    });
    Thread lt = new Thread(learner::run, "bench-learner");
    lt.start();
    ProducerService producer = new ProducerService(k, meta, new TaskFactory(null), ProducerService.Options.defaults(1));
    for (UnrollWorker w : producer.pool().workers()) {
      w.onAdoption(v -> adoptedAt.putIfAbsent(v, System.nanoTime()));
    }
    producer.start(Duration.ofSeconds(60));
    Thread.sleep(5000); // warm-up
    long s0 = learner.segmentsConsumed();
    long p0 = producer.segmentsSent();
    long v0 = learner.versionsPublished();
    long t0 = System.nanoTime();
    Thread.sleep(phase.toMillis());
    double secs = (System.nanoTime() - t0) / 1e9;
    long segs = learner.segmentsConsumed() - s0;
    long sent = producer.segmentsSent() - p0;
    long versions = learner.versionsPublished() - v0;
    producer.close();
    learner.close();
    lt.join(30_000);
    double[] update = learner.updateLatenciesMillis();
    List<Double> adopt = new ArrayList<>();
    committedAt.forEach((v, t) -> {
      Long a = adoptedAt.get(v);
      if (a != null && a >= t) {
        adopt.add((a - t) / 1e6);
      }
    });
    double[] ad = adopt.stream().mapToDouble(Double::doubleValue).toArray();
    out.printf("## Free run (%.0f s after 5 s warm-up; 1 worker, learner unthrottled)%n%n", secs);
    out.println("| measure | value |");
    out.println("|---|---:|");
    out.printf("| segments/s produced (acknowledged by the broker) | %.1f |%n", sent / secs);
    out.printf("| segments/s end-to-end (consumed by the learner into versions) | %.1f |%n", segs / secs);
    out.printf("| versions/s committed | %.1f |%n", versions / secs);
    out.printf("| learner update latency p50 / p99 (ms, %d updates) | %.2f / %.2f |%n", update.length,
        pct(update, 50), pct(update, 99));
    out.printf("| publish-to-adoption latency p50 / p99 (ms, %d versions adopted) | %.1f / %.1f |%n", ad.length,
        pct(ad, 50), pct(ad, 99));
    out.println();
    out.flush();
    return sent / secs;
  }

  private void backPressure(EmbeddedBroker broker, MetaTrainConfigs.Loaded meta, double producerRate)
      throws Exception {
    KafkaSettings k = KafkaSettings.of(broker.bootstrapServers()).withTopics(new Topics("bench2"));
    k.topics().ensure(k, Duration.ofSeconds(60));
    // learner capacity ~ producerRate / 10 segments/s: one window of at most W segments (window.maxSegments, which
    // a backlog fills) every 10 W / rate seconds
    long throttleMs = (long) Math.ceil(1000.0 * meta.windowMaxSegments() * 10 / Math.max(producerRate, 1e-3));
    KafkaLearner learner = new KafkaLearner(k, meta, new KafkaLearner.Listener() { })
        .throttle(Duration.ofMillis(throttleMs));
    Thread lt = new Thread(learner::run, "bench-slow-learner");
    lt.start();
    ProducerService producer = new ProducerService(k, meta, new TaskFactory(null), ProducerService.Options.defaults(1));
    producer.start(Duration.ofSeconds(60));
    out.printf("## Back-pressure (learner throttled to one window of at most %d segments per %d ms, ~1/10 of the "
        + "producer rate)%n%n", meta.windowMaxSegments(), throttleMs);
    out.println("| t (s) | produced | consumed | lag (records) | heap used after last GC (MB) |");
    out.println("|---:|---:|---:|---:|---:|");
    long t0 = System.nanoTime();
    int samples = 6;
    for (int i = 1; i <= samples; i++) {
      Thread.sleep(phase.toMillis() / samples);
      long end = org.metaopt.stream.kafka.Offsets.end(k, k.topics().trajectories());
      long committed = org.metaopt.stream.kafka.Offsets.learnerCommitted(k);
      out.printf("| %.0f | %d | %d | %d | %.1f |%n", (System.nanoTime() - t0) / 1e9, producer.segmentsSent(),
          learner.segmentsConsumed(), end - committed, heapAfterGcMb());
      out.flush();
    }
    producer.close();
    long end = org.metaopt.stream.kafka.Offsets.end(k, k.topics().trajectories());
    out.printf("%nproduced %d segments, all acknowledged and on the topic (%d records), %d failed sends; learner "
        + "published %d versions; nothing crashed.%n%n", producer.segmentsProduced(), end, producer.sink().failed(),
        learner.versionsPublished());
    learner.close();
    lt.join(30_000);
    out.flush();
  }

  private static double heapAfterGcMb() {
    long used = 0;
    for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
      if (p.getType() == MemoryType.HEAP && p.getCollectionUsage() != null) {
        used += p.getCollectionUsage().getUsed();
      }
    }
    return used / 1048576.0;
  }

  static double pct(double[] xs, double p) {
    if (xs.length == 0) {
      return Double.NaN;
    }
    double[] s = xs.clone();
    Arrays.sort(s);
    int i = (int) Math.ceil(p / 100.0 * s.length) - 1;
    return s[Math.max(0, Math.min(s.length - 1, i))];
  }
}
