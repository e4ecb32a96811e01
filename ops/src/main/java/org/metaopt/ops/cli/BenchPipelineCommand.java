package org.metaopt.ops.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.metaopt.ops.pipeline.PipelineBench;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code metaopt bench-pipeline}: end-to-end pipeline figures on the embedded broker. */
@Command(
    name = "bench-pipeline",
    mixinStandardHelpOptions = true,
    description = "Measure the streaming pipeline end to end on the embedded broker: segments/s, learner update latency, publish-to-adoption latency, and lag and heap with producers 10x faster than the learner.",
    footer = {"", "Examples:",
        "  metaopt bench-pipeline",
        "  metaopt bench-pipeline --learner-only --seconds 30",
        "  METAOPT_JAVA_OPTS=-Xmx1g metaopt bench-pipeline --seconds 120",
        "",
        "Prints Markdown tables (the source of docs/benchmarks.md's pipeline section). Exit codes: 0 done, 2 bad option."})
final class BenchPipelineCommand implements Callable<Integer> {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec cli;

  @Option(names = "--seconds", defaultValue = "60", paramLabel = "S", description = "Length of each phase (default: ${DEFAULT-VALUE}).")
  int seconds;

  @Option(names = "--learner-only", description = "Measure the learner alone (celo2): record segments for S seconds with producers only, then time one learner reading them as a backlog.")
  boolean learnerOnly;

  @Option(names = "--dir", defaultValue = "runs/bench-pipeline", paramLabel = "DIR", description = "Scratch folder; its broker/ folder is emptied first, so every run starts from empty topics (default: ${DEFAULT-VALUE}).")
  Path dir;

  @Override
  public Integer call() throws Exception {
    if (seconds < 5) {
      throw new org.metaopt.core.UserError("--seconds " + seconds + " must be >= 5");
    }
    KafkaLogging.toFile(dir.resolve("kafka.log"));
    PipelineBench bench = new PipelineBench(dir, Duration.ofSeconds(seconds), cli.commandLine().getOut());
    if (learnerOnly) {
      bench.runLearnerOnly();
    } else {
      bench.run();
    }
    return 0;
  }
}
