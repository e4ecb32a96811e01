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

  @Mixin RangeOptions range;

  @Option(names = "--out", required = true, paramLabel = "FILE", description = "Record file to write.")
  Path out;

  @Override
  public Integer call() {
    kafka.logTo("export.log");
    var settings = kafka.settings();
    range.check();
    settings.topics().ensure(settings, Duration.ofSeconds(15));
    long f = range.fromOffset(settings);
    long t = range.toOffset(settings);
    long[] n = RecordTransfer.export(settings, f, t, out);
    cli.commandLine().getOut().printf("exported %d trajectory records (offsets from %d), %d versions, %d evaluations "
        + "to %s%n", n[0], f, n[1], n[2], out);
    cli.commandLine().getOut().flush();
    return 0;
  }
}
