package org.metaopt.ops.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.metaopt.ops.pipeline.RecordTransfer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code metaopt export}: a recorded range to a file. */
@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    description = "Export a range of recorded trajectories, with every version and evaluation, to a file (to share and replay elsewhere).",
    footer = {"", "Examples:",
        "  metaopt export --from 0 --to 5000 --out run.mrec",
        "  metaopt export --from 2026-11-21T20:00:00Z --out last-hour.mrec --bootstrap-servers kafka1:9092",
        "",
        "Exit codes: 0 done, 2 bad input (unreachable broker, bad position)."})
final class ExportCommand implements Callable<Integer> {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec cli;

  @Mixin KafkaOptions kafka;

  @Option(names = "--from", defaultValue = "0", paramLabel = "OFFSET|TIME", description = "First trajectory offset, or an ISO-8601 UTC time (default: ${DEFAULT-VALUE}).")
  String from;

  @Option(names = "--to", paramLabel = "OFFSET|TIME", description = "End (exclusive); default: the current end.")
  String to;

  @Option(names = "--out", required = true, paramLabel = "FILE", description = "Record file to write.")
  Path out;

  @Option(names = "--log-dir", defaultValue = "runs/logs", paramLabel = "DIR", description = "Where Kafka client logs go (default: ${DEFAULT-VALUE}).")
  Path logDir;

  @Override
  public Integer call() {
    KafkaLogging.toFile(logDir.resolve("export.log"));
    var settings = kafka.settings();
    RecordTransfer.checkPosition(from, "--from");
    RecordTransfer.checkPosition(to, "--to");
    settings.topics().ensure(settings, Duration.ofSeconds(15));
    long f = RecordTransfer.resolvePosition(settings, from, 0, "--from");
    long t = RecordTransfer.resolvePosition(settings, to, Long.MAX_VALUE, "--to");
    long[] n = RecordTransfer.export(settings, f, t, out);
    cli.commandLine().getOut().printf("exported %d trajectory records (offsets from %d), %d versions, %d evaluations "
        + "to %s%n", n[0], f, n[1], n[2], out);
    cli.commandLine().getOut().flush();
    return 0;
  }
}
