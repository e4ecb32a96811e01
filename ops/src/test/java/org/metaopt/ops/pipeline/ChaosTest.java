package org.metaopt.ops.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.metaopt.core.meta.MetaTrainConfigs;
import org.metaopt.core.version.OptimizerVersion;
import org.metaopt.core.version.VersionFiles;
import org.metaopt.evaluator.EvaluatorService;
import org.metaopt.stream.kafka.ClusterLayout;
import org.metaopt.stream.kafka.EvaluationLog;
import org.metaopt.stream.kafka.KafkaSettings;
import org.metaopt.stream.kafka.Offsets;
import org.metaopt.stream.kafka.VersionLog;
import org.metaopt.stream.wire.EvaluationRecord;

/**
 * Acceptance: chaos over every service on a real 3-broker KRaft cluster (replication 3, min.insync.replicas 2),
 * every process a JVM of its own. The learner is SIGKILLed 10 times at random moments of its active work, one broker
 * at a time 3 times (each restarted on its log folder after 5 s), the evaluator twice and the producer twice, each
 * restarted at once. Afterwards the
 * version chain has no gap and its offset ranges tile the trajectories the learner committed, what lies beyond is
 * only segments too stale for any version (or dead letters), every scored version has exactly one evaluation, and
 * best.json is the best of them.
 */
@Timeout(300)
class ChaosTest {
  private static final int LEARNER_KILLS = 10;

  private static int freeBase(int ports) throws IOException {
    for (int attempt = 0; attempt < 50; attempt++) {
      int base;
      try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        base = s.getLocalPort();
      }
      if (base + ports < 65535 && rangeFree(base, ports)) {
        return base;
      }
    }
    throw new IOException("no " + ports + " consecutive free ports on 127.0.0.1");
  }

  private static boolean rangeFree(int base, int ports) {
    for (int p = base; p < base + ports; p++) {
      try (ServerSocket s = new ServerSocket(p, 1, InetAddress.getLoopbackAddress())) {
        s.setReuseAddress(true);
      } catch (IOException e) {
        return false;
      }
    }
    return true;
  }

  private static long latest(KafkaSettings k) {
    try {
      return VersionLog.latest(k, Duration.ofSeconds(10)).map(OptimizerVersion::version).orElse(-1L);
    } catch (RuntimeException e) {
      return -1;
    }
  }

  /** A moment of the chaos: {@code at} ms after it starts, {@code what} to kill. */
  private record Kill(long at, String what) {}

  /** The brokers', evaluator's and producer's kills; the learner's follow its activations ({@link #killLearner}). */
  private static List<Kill> schedule(Random rnd) {
    List<Kill> kills = new ArrayList<>();
    kills.add(new Kill(14_000 + rnd.nextInt(3_000), "broker-1"));
    kills.add(new Kill(50_000 + rnd.nextInt(3_000), "broker-2"));
    kills.add(new Kill(86_000 + rnd.nextInt(3_000), "broker-3"));
    kills.add(new Kill(24_000 + rnd.nextInt(6_000), "evaluator"));
    kills.add(new Kill(66_000 + rnd.nextInt(6_000), "evaluator"));
    kills.add(new Kill(34_000 + rnd.nextInt(6_000), "producer"));
    kills.add(new Kill(76_000 + rnd.nextInt(6_000), "producer"));
    kills.sort(Comparator.comparingLong(Kill::at));
    return kills;
  }

  /**
   * Kills the learner {@link #LEARNER_KILLS} times, each at a random moment 0.2 to 2.2 s after a learner JVM became
   * active (or, when none does within 18 s, wherever it is), and restarts it.
   */
  private static int killLearner(JvmProcesses jvms, Random rnd) throws Exception {
    int killed = 0;
    int used = 0; // activations already killed (or given up on)
    for (int i = 0; i < LEARNER_KILLS; i++) {
      long deadline = System.nanoTime() + Duration.ofSeconds(18).toNanos();
      while (jvms.count("learner", "learner: active from version") <= used && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      int activations = jvms.count("learner", "learner: active from version");
      boolean wasActive = activations > used;
      used = activations;
      Thread.sleep(200 + rnd.nextInt(2_000));
      jvms.kill("learner");
      jvms.log("killed the learner " + (wasActive ? "while active" : "while starting or standby"));
      killed++;
      jvms.restart("learner");
    }
    return killed;
  }

  @Test
  void killingEveryServiceAndEachBrokerKeepsTheChainTheRangesAndTheEvaluations() throws Exception {
    Path dir = Path.of("target", "chaos-" + ProcessHandle.current().pid()).toAbsolutePath();
    Files.createDirectories(dir);
    Path config = PipelineFixtures.syntheticConfig(dir.resolve("config"));
    Path suite = Files.writeString(dir.resolve("suite.yaml"),
        "name: tiny\ntasks:\n  - {name: q, family: quadratic, dim: 8, steps: 40}\n");
    Path client = Files.writeString(dir.resolve("client.properties"),
        "session.timeout.ms=3000\nheartbeat.interval.ms=500\n"); // a killed learner's partition moves sooner
    Path brokerConfig = Files.writeString(dir.resolve("broker.properties"), "group.min.session.timeout.ms=3000\n");
    ClusterLayout layout = new ClusterLayout(3, freeBase(6), dir.resolve("cluster"));
    String bs = layout.bootstrapServers();
    KafkaSettings k = KafkaSettings.of(bs);
    try (JvmProcesses jvms = new JvmProcesses(dir)) {
      for (int i = 1; i <= 3; i++) {
        jvms.start("broker-" + i, "broker", "--cluster", "3", "--node", String.valueOf(i), "--port",
            String.valueOf(layout.basePort()), "--data-dir", layout.dataDir().toString(), "--kafka-config",
            brokerConfig.toString());
      }
      for (int i = 1; i <= 3; i++) {
        String name = "broker-" + i;
        JvmProcesses.await(name, Duration.ofSeconds(120), () -> jvms.output(name).contains("listening"));
      }
      jvms.log("3 brokers up");
      k.topics().ensure(k, Duration.ofSeconds(60));
      assertReplicatedThreeWays(k);
      String logs = dir.resolve("logs").toString();
      String[] common = {"--bootstrap-servers", bs, "--kafka-config", client.toString(), "--log-dir", logs,
          "--no-metrics"};
      jvms.start("learner", concat(new String[] {"learner", "--config", config.toString()}, common));
      jvms.start("producer", concat(new String[] {"producer", "--config", config.toString(), "--workers", "1"},
          common));
      jvms.start("evaluator", concat(new String[] {"evaluator", "--suite", suite.toString(), "--every", "5",
          "--seeds", "1", "--baselines", "adam", "--out", dir.resolve("evaluator").toString(), "--cache-dir",
          dir.resolve("cache").toString()}, common));
      JvmProcesses.await("version 5", Duration.ofSeconds(90), () -> latest(k) >= 5);
      jvms.log("version 5: the chaos starts");

      List<Kill> kills = chaos(jvms, new Random(24));
      jvms.log("the chaos is over");
      long afterChaos = latest(k);
      JvmProcesses.await("5 versions after the chaos", Duration.ofSeconds(60), () -> latest(k) >= afterChaos + 5);
      assertEquals(0, jvms.stop("producer", Duration.ofSeconds(60)), jvms.tail("producer", 5));
      jvms.log("producer stopped");
      MetaTrainConfigs.Loaded meta = MetaTrainConfigs.load(config);
      JvmProcesses.await("the learner to take what the producer sent", Duration.ofSeconds(60),
          () -> ChaosChecks.drained(k, meta.maxStaleness()));
      jvms.log("drained");
      assertEquals(0, jvms.stop("learner", Duration.ofSeconds(60)), jvms.tail("learner", 5));
      assertEquals(0, jvms.stop("evaluator", Duration.ofSeconds(90)), jvms.tail("evaluator", 5));
      jvms.log("stopped");
      report(k, kills, jvms, dir, meta.maxStaleness());
    }
  }

  /**
   * Runs the kill schedule while another thread kills the learner; every killed process is restarted (a broker after
   * 5 s, on its log folder). Returns every kill.
   */
  private static List<Kill> chaos(JvmProcesses jvms, Random rnd) throws Exception {
    java.util.concurrent.CompletableFuture<Integer> learnerKills = java.util.concurrent.CompletableFuture
        .supplyAsync(() -> {
          try {
            return killLearner(jvms, new Random(rnd.nextLong()));
          } catch (Exception e) {
            throw new java.util.concurrent.CompletionException(e);
          }
        }, r -> new Thread(r, "chaos-learner-killer").start());
    List<Kill> kills = new ArrayList<>(schedule(rnd));
    long t0 = System.nanoTime();
    for (Kill kill : List.copyOf(kills)) {
      Thread.sleep(Math.max(0, kill.at() - (System.nanoTime() - t0) / 1_000_000));
      jvms.kill(kill.what());
      jvms.log("killed " + kill.what());
      if (kill.what().startsWith("broker-")) {
        Thread.sleep(5_000);
      }
      jvms.restart(kill.what());
    }
    for (int i = 0; i < learnerKills.get(300, TimeUnit.SECONDS); i++) {
      kills.add(new Kill(-1, "learner"));
    }
    for (int i = 1; i <= 3; i++) {
      String name = "broker-" + i;
      JvmProcesses.await(name + " back", Duration.ofSeconds(90), () -> jvms.count(name, "listening") == 2);
    }
    return kills;
  }

  private static void assertReplicatedThreeWays(KafkaSettings k) throws Exception {
    try (Admin admin = Admin.create(k.admin())) {
      for (TopicDescription d : admin.describeTopics(k.topics().all()).allTopicNames().get(30, TimeUnit.SECONDS)
          .values()) {
        assertEquals(3, d.partitions().get(0).replicas().size(), d.name() + " replicas");
      }
    }
  }

  /** The checks, and one line of figures for the report. */
  private static void report(KafkaSettings k, List<Kill> kills, JvmProcesses jvms, Path dir, int maxStaleness)
      throws Exception {
    long committed = Offsets.learnerCommitted(k);
    long end = Offsets.end(k, k.topics().trajectories());
    List<OptimizerVersion> versions = VersionLog.readAll(k, Duration.ofSeconds(60));
    int n = PipelineFixtures.assertChainAndRanges(versions, committed);
    long tail = ChaosChecks.assertTailIsStale(k, committed, end, versions.get(versions.size() - 1).version(),
        maxStaleness);
    long deadLetters = Offsets.end(k, k.topics().deadLetters());
    List<EvaluationRecord> evaluations = EvaluationLog.readAll(k, Duration.ofSeconds(60));
    List<Long> scored = evaluations.stream().map(EvaluationRecord::version).toList();
    assertEquals(scored.size(), scored.stream().distinct().count(), "one evaluation per scored version: " + scored);
    assertTrue(scored.size() >= 3, "evaluations: " + scored);
    for (EvaluationRecord e : evaluations) {
      assertEquals(versions.stream().filter(v -> v.version() == e.version()).findFirst().orElseThrow()
          .thetaSha256(), e.thetaSha256(), "evaluation of version " + e.version() + " scored the committed θ");
    }
    EvaluationRecord best = evaluations.get(0);
    for (EvaluationRecord e : evaluations) {
      best = EvaluatorService.isBetter(e, best) ? e : best;
    }
    OptimizerVersion file = VersionFiles.read(dir.resolve("evaluator").resolve("best.json"));
    assertEquals(best.version(), file.version(), "best.json is the best evaluated version");
    assertEquals(best.thetaSha256(), file.thetaSha256());
    long activations = jvms.count("learner", "learner: active from version");
    String timeline = Files.readString(dir.resolve("timeline.out"));
    long whileActive = timeline.split("while active", -1).length - 1;
    System.out.printf("chaos: kills learner %d (%d while active), broker %d, evaluator %d, producer %d; %d segments "
        + "on the topic, %d in the %d versions' ranges, %d stale after the last commit, %d dead letters; learner "
        + "activations %d; %d evaluations of %d versions (one each), best version %d = best.json%n",
        kills.stream().filter(x -> x.what().equals("learner")).count(), whileActive,
        kills.stream().filter(x -> x.what().startsWith("broker")).count(),
        kills.stream().filter(x -> x.what().equals("evaluator")).count(),
        kills.stream().filter(x -> x.what().equals("producer")).count(), end, committed, n, tail, deadLetters,
        activations, evaluations.size(), scored.stream().distinct().count(), best.version());
  }

  private static String[] concat(String[] a, String[] b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
