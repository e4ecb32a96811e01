package org.metaopt.ops.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** Runs the JMH benchmarks shipped in this jar (kernels vs ND4J); arguments go to JMH unchanged. */
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
  @Parameters(arity = "0..*", paramLabel = "JMH_ARG", description = "JMH options and benchmark name patterns.")
  List<String> jmhArgs = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    org.openjdk.jmh.Main.main(jmhArgs.toArray(String[]::new));
    return 0;
  }
}
