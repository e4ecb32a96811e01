package org.metaopt.ops.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.metaopt.core.UserError;
import org.metaopt.ops.report.TrainingReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code metaopt report}: (re)builds the HTML report of a meta-training run folder. */
@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    description = "Write DIR/report.html from a run folder's metrics.jsonl (and final.json): meta-loss, "
        + "meta-gradient norm, held-out score and flatness terms over versions, as embedded plots.",
    footer = {"", "Examples:",
        "  metaopt report --run runs/mlp-lopt",
        "  metaopt report --run runs/demo",
        "",
        "'metaopt train' writes the same report at the end of a run; this command rebuilds it, e.g. while a",
        "run is still going or after copying a run folder. 'metaopt evaluate' writes its own report.html.",
        "Exit codes: 0 done, 2 no such run folder or a malformed metrics file."})
final class ReportCommand implements Callable<Integer> {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec cli;

  @Option(names = "--run", required = true, paramLabel = "DIR", description = "Run folder written by train or demo.")
  Path run;

  @Override
  public Integer call() {
    if (!Files.isDirectory(run)) {
      throw new UserError("--run " + run + " is not a folder (expected a run folder written by 'metaopt train')");
    }
    Path file = TrainingReport.write(run);
    cli.commandLine().getOut().println("wrote " + file);
    cli.commandLine().getOut().flush();
    return 0;
  }
}
