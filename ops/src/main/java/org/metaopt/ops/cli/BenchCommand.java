package org.metaopt.ops.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/**
 * Runs the JMH benchmarks of the {@code bench} module (kernels vs ND4J, the training step, learned optimizers).
 * They live outside the runnable jar: this command starts {@code bench/target/metaopt-bench.jar} (JMH's own
 * {@code Main}) in a child JVM with the same JVM options and passes every argument to JMH unchanged.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Run the JMH micro-benchmarks (MLP forward+backward, optimizer updates; ours vs ND4J).",
    footer = {"", "Examples:",
        "  metaopt bench                          # every benchmark, default iterations",
        "  metaopt bench MlpBench -wi 2 -i 3      # one benchmark, shorter",
        "  metaopt bench -- -lp                   # list benchmarks and parameters",
        "  metaopt bench -- -h                    # JMH's own options",
        "./metaopt sets OMP_NUM_THREADS=1 so ND4J runs single-threaded like our kernels."})
final class BenchCommand implements Callable<Integer> {
  /** JMH options and benchmark name patterns, passed through unchanged. */
  @Unmatched
  List<String> jmhArgs = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    Path jar = benchJar();
    if (jar == null || !Files.isRegularFile(jar)) {
      System.err.println("bench: the benchmark jar is missing" + (jar == null ? "" : " (" + jar + ")")
          + "; build it with: mvn -B -q -DskipTests package (from the repository root), then run ./metaopt bench again");
      return 2;
    }
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments());
    command.add("-jar");
    command.add(jar.toString());
    command.addAll(jmhArgs);
    return new ProcessBuilder(command).inheritIO().start().waitFor();
  }

  /** bench/target/metaopt-bench.jar next to the running ops/target/metaopt.jar, or null when not run from a jar. */
  static Path benchJar() {
    try {
      Path self = Path.of(BenchCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      Path root = self.getParent() == null ? null : self.getParent().getParent();
      if (root == null || root.getParent() == null) {
        return null;
      }
      return root.getParent().resolve("bench").resolve("target").resolve("metaopt-bench.jar");
    } catch (Exception e) {
      return null;
    }
  }
}
