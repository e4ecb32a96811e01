package org.metaopt.ops.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.metaopt.ops.pipeline.RecordedRuns;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code metaopt runs}: the recorded training runs (MetaoptListener) on the trajectories topic or in a file. */
@Command(
    name = "runs",
    mixinStandardHelpOptions = true,
    description = "List the recorded training runs (DL4J networks with MetaoptListener) on the trajectories topic, "
        + "or in a file written by 'metaopt export'.",
    footer = {"", "Examples:",
        "  metaopt runs",
        "  metaopt runs --from 2026-12-10T08:00:00Z --json",
        "  metaopt runs --file run.mrec",
        "",
        "One line per run: id, model, optimizer (and version), steps, first and last loss, last gradient norm,",
        "mean ms per step, and whether its last chunk arrived (the listener was closed).",
        "Exit codes: 0 done, 2 bad input (unreachable broker, bad position, unreadable file)."})
final class RunsCommand implements Callable<Integer> {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec cli;

  @Mixin KafkaOptions kafka;

  @Mixin RangeOptions range;

  @Option(names = "--file", paramLabel = "FILE", description = "Read a record file (metaopt export) instead of Kafka.")
  Path file;

  @Option(names = "--json", description = "One JSON object per run instead of a table.")
  boolean json;

  @Override
  public Integer call() {
    RecordedRuns runs;
    if (file != null) {
      runs = RecordedRuns.fromFile(file);
    } else {
      kafka.logTo("runs.log");
      var settings = kafka.settings();
      range.check();
      settings.topics().ensure(settings, Duration.ofSeconds(15));
      runs = RecordedRuns.fromKafka(settings, range.fromOffset(settings), range.toOffset(settings));
    }
    PrintWriter out = cli.commandLine().getOut();
    if (!json) {
      out.printf("%-36s  %-28s  %-16s  %8s  %10s  %10s  %10s  %8s  %s%n", "run", "model", "optimizer", "steps",
          "first loss", "last loss", "grad norm", "ms/step", "state");
    }
    for (RecordedRuns.Summary s : runs.summaries()) {
      if (json) {
        out.println(Json.write(asMap(s)));
      } else {
        String opt = s.optimizer() + (s.optimizerVersion() >= 0 ? " v" + s.optimizerVersion() : "");
        out.printf("%-36s  %-28s  %-16s  %8d  %10.4f  %10.4f  %10.4g  %8.2f  %s%n", s.runId(), s.model(), opt,
            s.steps(), s.firstLoss(), s.lastLoss(), s.lastGradientNorm(), s.msPerStep(),
            s.complete() ? "done" : "open");
      }
    }
    if (!json) {
      out.printf("%d recorded run(s)%s%n", runs.summaries().size(),
          runs.malformed() > 0 ? ", " + runs.malformed() + " malformed chunk(s) skipped" : "");
    }
    out.flush();
    return 0;
  }

  private static Map<String, Object> asMap(RecordedRuns.Summary s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("runId", s.runId());
    m.put("model", s.model());
    m.put("numParams", s.numParams());
    m.put("optimizer", s.optimizer());
    m.put("optimizerVersion", s.optimizerVersion());
    m.put("thetaSha256", s.thetaSha256());
    m.put("steps", s.steps());
    m.put("firstStep", s.firstStep());
    m.put("lastStep", s.lastStep());
    m.put("firstLoss", finite(s.firstLoss()));
    m.put("lastLoss", finite(s.lastLoss()));
    m.put("lastGradientNorm", finite(s.lastGradientNorm()));
    m.put("msPerStep", finite(s.msPerStep()));
    m.put("complete", s.complete());
    m.put("started", s.started());
    m.put("updated", s.updated());
    return m;
  }

  private static Double finite(double x) {
    return Double.isFinite(x) ? x : null;
  }
}
