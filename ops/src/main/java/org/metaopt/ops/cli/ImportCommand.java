package org.metaopt.ops.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.metaopt.ops.pipeline.RecordTransfer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code metaopt import}: a record file into a cluster's topics. */
@Command(
    name = "import",
    mixinStandardHelpOptions = true,
    description = "Import a record file written by 'export' into the topics under --topic-prefix (use a fresh prefix).",
    footer = {"", "Examples:",
        "  metaopt import --file run.mrec --topic-prefix shared1",
        "  metaopt replay --from 0 --config META.yaml --topic-prefix shared1 --out runs/replay",
        "",
        "Records keep their original offsets in a header, so replay finds the recorded windows.",
        "Exit codes: 0 done, 2 bad input (not a record file, truncated file, unreachable broker)."})
final class ImportCommand implements Callable<Integer> {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec cli;

  @Mixin KafkaOptions kafka;

  @Option(names = "--file", required = true, paramLabel = "FILE", description = "Record file from 'export'.")
  Path file;

  @Override
  public Integer call() {
    kafka.logTo("import.log");
    var settings = kafka.settings();
    try (var check = org.metaopt.stream.wire.RecordFile.Reader.open(file)) {
      // a file that is not a record file fails here, before any broker is contacted
    }
    settings.topics().ensure(settings, Duration.ofSeconds(15));
    long n = RecordTransfer.importFile(settings, file);
    cli.commandLine().getOut().printf("imported %d records from %s into %s.*%n", n, file, settings.topics().prefix());
    cli.commandLine().getOut().flush();
    return 0;
  }
}
