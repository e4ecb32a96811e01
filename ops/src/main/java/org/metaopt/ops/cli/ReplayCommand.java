package org.metaopt.ops.cli;

import org.metaopt.ops.console.Progress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.metaopt.core.meta.MetaTrainConfigs;
import org.metaopt.core.version.VersionFiles;
import org.metaopt.metalearner.Replay;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code metaopt replay}: recorded trajectories into a fresh learner. */
@Command(
    name = "replay",
    mixinStandardHelpOptions = true,
    description = "Feed recorded trajectories into a fresh learner (no producers) and write the versions it computes.",
    footer = {"", "Examples:",
        "  metaopt replay --from 0 --config docs/examples/meta-mlp-lopt.yaml --out runs/replay",
        "  metaopt replay --from 2026-11-21T20:00:00Z --to 2026-11-21T21:00:00Z --config META.yaml --out runs/r2",
        "  metaopt replay --from 0 --config reweighted.yaml --windows count --out runs/r3",
        "",
        "--windows recorded (default) reuses the live learner's windows from the recorded versions' provenance:",
        "with the same config the SHA-256 chain is identical (reported). --windows count forms windows of the",
        "config's size, e.g. to re-weight the objective terms without re-running any optimizee.",
        "Exit codes: 0 done (1 if a recorded version could not be reproduced), 2 bad input."})
final class ReplayCommand implements Callable<Integer> {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec cli;

  @Mixin KafkaOptions kafka;

  @Mixin RangeOptions range;

  @Option(names = "--config", required = true, paramLabel = "META.yaml", description = "Meta-training config of the fresh learner.")
  Path config;

  @Option(names = "--windows", defaultValue = "recorded", paramLabel = "MODE", description = "recorded or count (default: ${DEFAULT-VALUE}).")
  String windows;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Folder for the replayed versions and chain.tsv.")
  Path out;

  @Override
  public Integer call() throws Exception {
    kafka.logTo("replay.log");
    Replay.WindowMode mode = switch (windows) {
      case "recorded" -> Replay.WindowMode.RECORDED;
      case "count" -> Replay.WindowMode.COUNT;
      default -> throw new org.metaopt.core.UserError("--windows " + windows + ": use recorded or count");
    };
    MetaTrainConfigs.Loaded c = MetaTrainConfigs.load(config);
    var settings = kafka.settings();
    range.check();
    settings.topics().ensure(settings, Duration.ofSeconds(15));
    long f = range.fromOffset(settings);
    long t = range.toOffset(settings);
    Files.createDirectories(out.resolve("versions"));
    StringBuilder chain = new StringBuilder("version\tthetaSha256\twindow\n");
    java.io.PrintWriter err = cli.commandLine().getErr();
    Progress.Tracker bar = new Progress(err).start("replay", -1, "versions");
    Replay.Result r;
    try (bar) {
      r = new Replay(settings, c).run(f, t, mode, v -> {
        VersionFiles.write(v, out.resolve("versions").resolve(String.format("v%06d.json", v.version())));
        chain.append(v.version()).append('\t').append(v.thetaSha256()).append('\t').append(v.provenance().window())
          .append('\n');
        bar.stepTo(v.version(), null);
      });
    }
    Files.writeString(out.resolve("chain.tsv"), chain);
    java.io.PrintWriter o = cli.commandLine().getOut();
    o.printf("replayed %d records (%d malformed, skipped) from version %d: %d versions", r.records(), r.malformed(),
        r.start().version(), r.versions().size());
    if (mode == Replay.WindowMode.RECORDED) {
      o.printf("; compared with the recorded chain: %d identical, %d different%s%n", r.compared() - r.mismatches(),
          r.mismatches(), r.firstMismatch() >= 0 ? " (first: version " + r.firstMismatch() + ")" : "");
    } else {
      o.println();
    }
    o.printf("wrote %s%n", out.resolve("chain.tsv"));
    o.flush();
    return r.mismatches() == 0 ? 0 : 1;
  }
}
