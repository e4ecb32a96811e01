package org.metaopt.ops.pipeline;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The {@code ./metaopt} commands of a multi-process test, each in a JVM of its own started as {@code ./metaopt}
 * starts it, by name: output appended to {@code dir/<name>.out} (a restarted process appends to the same file),
 * SIGKILL and SIGTERM, and everything killed at the end. Thread-safe (a chaos test kills from two threads).
 */
final class JvmProcesses implements AutoCloseable {
  private final Path dir;
  private final Map<String, Process> running = new java.util.concurrent.ConcurrentHashMap<>();
  private final Map<String, List<String>> commands = new java.util.concurrent.ConcurrentHashMap<>();

  private final long t0 = System.nanoTime();

  JvmProcesses(Path dir) {
    this.dir = dir;
  }

  /** A line of the test's own timeline, in {@code dir/timeline.out}. */
  synchronized void log(String event) {
    try {
      Files.writeString(dir.resolve("timeline.out"), String.format("%6.1f s  %s%n", (System.nanoTime() - t0) / 1e9,
          event), java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Starts {@code ./metaopt args...} as {@code name}. */
  Process start(String name, String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx384m", "-XX:+UseSerialGC"));
    if (!args[0].equals("producer")) {
      cmd.add("-XX:TieredStopAtLevel=1"); // starts faster; only the producer computes much
    }
    cmd.addAll(List.of("--add-modules", "jdk.incubator.vector", "-cp", System.getProperty("java.class.path"),
        "org.metaopt.ops.Main"));
    cmd.addAll(List.of(args));
    commands.put(name, List.copyOf(cmd));
    return launch(name);
  }

  private Process launch(String name) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(commands.get(name)).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve(name + ".out").toFile()));
    pb.environment().put("OMP_NUM_THREADS", "1");
    Process p = pb.start();
    running.put(name, p);
    return p;
  }

  /** SIGKILL, waited for. */
  void kill(String name) throws InterruptedException {
    Process p = running.get(name);
    p.destroyForcibly();
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      throw new AssertionError(name + " survived SIGKILL");
    }
  }

  /** Starts {@code name} again with the same command line. */
  void restart(String name) throws IOException {
    launch(name);
  }

  /** SIGTERM, and waits up to {@code timeout} for a graceful exit; returns its exit code. */
  int stop(String name, Duration timeout) throws InterruptedException {
    Process p = running.get(name);
    p.destroy();
    if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError(name + " did not stop within " + timeout.toSeconds() + " s of SIGTERM:\n"
          + tail(name, 20));
    }
    return p.exitValue();
  }

  boolean alive(String name) {
    Process p = running.get(name);
    return p != null && p.isAlive();
  }

  String output(String name) {
    Path f = dir.resolve(name + ".out");
    try {
      return Files.exists(f) ? Files.readString(f) : "";
    } catch (IOException e) {
      return "";
    }
  }

  /** The last {@code lines} lines of {@code name}'s output. */
  String tail(String name, int lines) {
    List<String> all = output(name).lines().toList();
    return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
  }

  /** Occurrences of {@code text} in {@code name}'s output. */
  int count(String name, String text) {
    return output(name).split(java.util.regex.Pattern.quote(text), -1).length - 1;
  }

  static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for " + what);
      }
      Thread.sleep(250);
    }
  }

  @Override
  public void close() {
    running.values().forEach(Process::destroyForcibly);
  }
}
