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
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.metaopt.stream.kafka.KafkaSettings;
import org.metaopt.stream.kafka.VersionLog;
import org.metaopt.core.version.OptimizerVersion;

/**
 * Acceptance: broker, producer, learner and evaluator as separate JVMs; the learner is killed with SIGKILL three
 * times mid-run and restarted. Afterwards every consumed segment is in exactly one version's provenance (offset
 * ranges contiguous, no overlap, ending at the committed offset) and the version chain has no gap.
 */
@Timeout(600)
class MultiProcessKillTest {
  private final List<Process> processes = new ArrayList<>();

  @AfterEach
  void killAll() {
    processes.forEach(Process::destroyForcibly);
  }

  private Process start(Path dir, String name, String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx384m", "-XX:+UseSerialGC", "--add-modules", "jdk.incubator.vector", "-cp",
        System.getProperty("java.class.path"), "org.metaopt.ops.Main")); // as ./metaopt starts it
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve(name + ".out").toFile()));
    pb.environment().put("OMP_NUM_THREADS", "1");
    Process p = pb.start();
    processes.add(p);
    return p;
  }

  private static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(250);
    }
  }

  private static String read(Path f) {
    try {
      return Files.exists(f) ? Files.readString(f) : "";
    } catch (IOException e) {
      return "";
    }
  }

  private static long latest(KafkaSettings k) {
    try {
      return VersionLog.latest(k, Duration.ofSeconds(20)).map(OptimizerVersion::version).orElse(-1L);
    } catch (RuntimeException e) {
      return -1;
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  @Test
  void sigkilledLearnerNeverAppliesAWindowTwiceNorSkipsOne() throws Exception {
    Path dir = Path.of("target", "multiprocess-" + ProcessHandle.current().pid()).toAbsolutePath();
    Files.createDirectories(dir);
    Path config = PipelineFixtures.syntheticConfig(dir.resolve("config"));
    int port = freePort();
    String bs = "127.0.0.1:" + port;
    start(dir, "broker", "broker", "--port", String.valueOf(port), "--data-dir", dir.resolve("broker").toString());
    await("the broker", Duration.ofSeconds(90), () -> read(dir.resolve("broker.out")).contains("broker listening"));
    String logs = dir.resolve("logs").toString();
    start(dir, "producer", "producer", "--config", config.toString(), "--bootstrap-servers", bs, "--workers", "1",
        "--log-dir", logs);
    String[] learnerArgs = {"learner", "--config", config.toString(), "--bootstrap-servers", bs, "--log-dir", logs};
    Process learner = start(dir, "learner", learnerArgs);
    start(dir, "evaluator", "evaluator", "--suite", dir.resolve("config/heldout.yaml").toString(), "--every", "25",
        "--seeds", "1", "--bootstrap-servers", bs, "--out", dir.resolve("evaluator").toString(), "--cache-dir",
        dir.resolve("cache").toString(), "--log-dir", logs);
    KafkaSettings k = KafkaSettings.of(bs);

    int kills = 0;
    long[] killedAt = new long[3];
    for (int i = 0; i < 3; i++) {
      long before = latest(k);
      await("10 more versions before kill " + (i + 1), Duration.ofSeconds(180), () -> latest(k) >= before + 10);
      Thread.sleep(137L * (i + 1)); // somewhere mid-window
      learner.destroyForcibly(); // SIGKILL
      assertTrue(learner.waitFor(30, TimeUnit.SECONDS));
      killedAt[i] = latest(k);
      kills++;
      learner = start(dir, "learner", learnerArgs);
    }
    long afterKills = latest(k);
    await("10 versions after the last restart", Duration.ofSeconds(180), () -> latest(k) >= afterKills + 10);

    // stop gracefully: producer first, let the learner drain, then learner and evaluator
    processes.get(1).destroy();
    assertTrue(processes.get(1).waitFor(60, TimeUnit.SECONDS), "producer stops on SIGTERM");
    Thread.sleep(4000);
    learner.destroy();
    assertTrue(learner.waitFor(60, TimeUnit.SECONDS), "learner stops on SIGTERM");

    assertEquals(3, kills);
    long committed = PipelineFixtures.committed(k);
    List<OptimizerVersion> versions = VersionLog.readAll(k, Duration.ofSeconds(30));
    int n = PipelineFixtures.assertChainAndRanges(versions, committed);
    assertTrue(n > afterKills + 10, n + " versions");
    String out = read(dir.resolve("learner.out"));
    assertEquals(4, out.split("learner: active from version", -1).length - 1,
        "each of the 4 learner JVMs resumed from the committed chain:\n" + out);
    for (long v : killedAt) {
      assertTrue(out.contains("active from version " + v), "a restarted learner resumed at version " + v);
    }
    Path eval = dir.resolve("evaluator.out");
    await("an evaluation", Duration.ofSeconds(120), () -> read(eval).contains("win rate vs tuned Adam"));
  }
}
