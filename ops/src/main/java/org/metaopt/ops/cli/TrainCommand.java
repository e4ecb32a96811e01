package org.metaopt.ops.cli;

import org.metaopt.ops.console.Progress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.metaopt.core.UserError;
import org.metaopt.core.meta.MetaTrainConfigs;
import org.metaopt.core.version.OptimizerVersion;
import org.metaopt.core.version.VersionFiles;
import org.metaopt.ops.report.TrainingReport;
import org.metaopt.ops.train.MetaTrainingRun;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code metaopt train}: offline meta-training of a learned optimizer (in-memory transport). */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description = "Meta-train a learned optimizer offline: workers unroll tasks, the learner publishes versions.",
    footer = {"", "Examples:",
        "  metaopt train --config docs/examples/meta-mlp-lopt.yaml --out runs/mlp-lopt --minutes 10",
        "  metaopt train --config docs/examples/meta-hrnn.yaml --out runs/hrnn --meta-steps 200 --workers 2",
        "  metaopt train --config META.yaml --out runs/more --resume runs/hrnn/final.json --minutes 5",
        "",
        "Writes DIR/versions/vNNNNNN.json (every version), DIR/metrics.jsonl (meta-loss, meta-gradient norm,",
        "held-out score when configured), DIR/final.json and DIR/report.html (plots of the metrics; rebuild it",
        "with 'metaopt report --run DIR'). The config keys are listed in docs/config-reference.md.",
        "Exit codes: 0 done, 2 bad config or option."})
final class TrainCommand implements Callable<Integer> {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec cli;

  @Option(names = "--config", required = true, paramLabel = "META.yaml", description = "Meta-training config.")
  Path config;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder.")
  Path out;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Budget budget;

  static final class Budget {
    @Option(names = "--minutes", paramLabel = "M", description = "Wall-clock budget in minutes.")
    Double minutes;

    @Option(names = "--meta-steps", paramLabel = "K", description = "Number of versions to publish.")
    Long metaSteps;
  }

  @Option(names = "--workers", paramLabel = "W", defaultValue = "1", description = "Producer worker threads (default: ${DEFAULT-VALUE}).")
  int workers;

  @Option(names = {"--from", "--resume"}, paramLabel = "VERSION_FILE", description = "Warm start: continue from a version file (θ, and the meta-optimizer state when the file has it), e.g. pretrained/celo2.json.")
  Path resume;

  @Option(names = "--data-dir", paramLabel = "DIR", description = "Fashion-MNIST folder (default: $METAOPT_DATA or /usr/share/datasets/fashion-mnist).")
  Path dataDir;

  @Override
  public Integer call() throws Exception {
    MetaTrainConfigs.Loaded c = MetaTrainConfigs.load(config);
    long steps = budget.metaSteps != null ? budget.metaSteps : Long.MAX_VALUE;
    if (budget.metaSteps != null && budget.metaSteps < 1) {
      throw new UserError("--meta-steps " + budget.metaSteps + " must be >= 1");
    }
    if (budget.minutes != null && !(budget.minutes > 0)) {
      throw new UserError("--minutes " + budget.minutes + " must be > 0");
    }
    Duration time = budget.minutes != null ? Duration.ofMillis((long) (budget.minutes * 60_000)) : Duration.ofDays(365);
    OptimizerVersion from = resume != null ? VersionFiles.read(resume) : null;
    Progress progress = new Progress(cli.commandLine().getErr());
    MetaTrainingRun.Summary s;
    try (Progress.Tracker bar = progress.start("train", budget.metaSteps != null ? steps : 0, "meta-steps",
        budget.minutes != null ? time : null)) {
      RecentWindows recent = new RecentWindows();
      s = new MetaTrainingRun(c, out, workers, dataDir, null, (done, m) -> bar.stepTo(done, recent.message(m)))
          .run(steps, time, from);
    }
    Path report = TrainingReport.write(out);
    java.io.PrintWriter o = cli.commandLine().getOut();
    o.printf("trained %s: version %d after %d meta-steps, %d segments, %d optimizee steps in %.1f s (%.0f steps/s)%n",
        c.name(), s.finalVersion(), s.metaSteps(), s.segments(), s.innerSteps(), s.seconds(),
        s.innerSteps() / Math.max(s.seconds(), 1e-9));
    o.printf("dropped: %d stale, %d non-finite; segments with a diverged side: %d%n", s.droppedStale(),
        s.droppedNonFinite(), s.divergedSegments());
    o.printf("final version: %s%n", s.finalVersionFile());
    o.printf("report: %s%n", report);
    o.flush();
    return 0;
  }

  /**
   * The progress line's meta-loss and |g|: means over the last {@link #SIZE} windows that carried a meta-gradient.
   * With a final-loss objective most windows hold no trajectory end and report 0 for both; the latest window alone
   * would show 0.0000 most of the time.
   */
  static final class RecentWindows {
    static final int SIZE = 100;
    private final double[] loss = new double[SIZE];
    private final double[] norm = new double[SIZE];
    private int count;

    String message(java.util.Map<String, Object> m) {
      double g = ((Number) m.get("gradientNorm")).doubleValue();
      if (g > 0 && Double.isFinite(g)) {
        loss[count % SIZE] = ((Number) m.get("metaLoss")).doubleValue();
        norm[count % SIZE] = g;
        count++;
      }
      int n = Math.min(count, SIZE);
      double l = 0;
      double gn = 0;
      for (int i = 0; i < n; i++) {
        l += loss[i];
        gn += norm[i];
      }
      Object held = m.get("heldOutScore");
      String heldText = held instanceof Number h ? String.format("  held-out %.4f", h.doubleValue()) : "";
      return n == 0 ? "meta-loss -  |g| -" + heldText
          : String.format("meta-loss %.4f  |g| %.3g (last %d windows with a gradient)%s", l / n, gn / n, n, heldText);
    }
  }
}
