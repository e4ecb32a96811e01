package org.metaopt.ops.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.metaopt.core.UserError;
import org.metaopt.core.lopt.LearnedOptimizer;
import org.metaopt.core.lopt.registry.LearnedOptimizers;
import org.metaopt.core.version.OptimizerVersion;
import org.metaopt.core.version.VersionFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code metaopt deploy}: a version file with some hyperparameters changed for deployment (celo2's
 * {@code schedule: constant} while meta-training becomes {@code cosine}), θ and its hash unchanged, validated by the
 * architecture.
 */
@Command(
    name = "deploy",
    mixinStandardHelpOptions = true,
    description = "Write a version file with deployment hyperparameters (same θ), e.g. celo2's cosine schedule.",
    footer = {"", "Examples:",
        "  metaopt deploy --from runs/celo2/final.json --set schedule=cosine --out pretrained/celo2.json",
        "",
        "Each --set KEY=VALUE replaces one hyperparameter (numbers, true/false and words as written); the",
        "architecture checks the result. The meta-optimizer state is dropped (a deployed file is not resumed);",
        "the version number, parent and provenance are kept.",
        "Exit codes: 0 written, 2 bad input."})
final class DeployCommand implements Callable<Integer> {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec cli;

  @Option(names = "--from", required = true, paramLabel = "FILE", description = "Version file written by train.")
  Path from;

  @Option(names = "--set", required = true, paramLabel = "KEY=VALUE", description = "Hyperparameter to replace.")
  List<String> settings;

  @Option(names = "--out", required = true, paramLabel = "FILE", description = "Version file to write.")
  Path out;

  @Override
  public Integer call() {
    OptimizerVersion v = VersionFiles.read(from);
    Map<String, Object> h = new LinkedHashMap<>(v.hyperparameters());
    for (String s : settings) {
      int eq = s.indexOf('=');
      if (eq <= 0) {
        throw new UserError("--set " + s + ": expected KEY=VALUE, e.g. --set schedule=cosine");
      }
      h.put(s.substring(0, eq).trim(), value(s.substring(eq + 1).trim()));
    }
    LearnedOptimizer arch = LearnedOptimizers.create(v.architecture(), h); // validates, with a clear message
    OptimizerVersion d = new OptimizerVersion(v.version(), v.parent(), v.architecture(), arch.hyperparameters(),
        v.theta(), v.thetaSha256(), null, v.provenance());
    VersionFiles.write(d, out);
    cli.commandLine().getOut().printf("wrote %s: %s version %d, hyperparameters %s%n", out, d.architecture(),
        d.version(), d.hyperparameters());
    cli.commandLine().getOut().flush();
    return 0;
  }

  private static Object value(String x) {
    if (x.equals("true") || x.equals("false")) {
      return Boolean.parseBoolean(x);
    }
    try {
      return Double.parseDouble(x);
    } catch (NumberFormatException e) {
      return x;
    }
  }
}
