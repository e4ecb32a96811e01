package org.metaopt.ops.cli;

import org.metaopt.ops.console.Progress;
import org.metaopt.evaluator.FinalHessianTrace;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.metaopt.core.UserError;
import org.metaopt.core.lopt.LearnedOptimizer;
import org.metaopt.core.lopt.registry.LearnedOptimizers;
import org.metaopt.core.optim.BaselineOptimizers;
import org.metaopt.core.spec.SpecLoader;
import org.metaopt.core.spec.SuiteSpec;
import org.metaopt.core.spec.TaskFactory;
import org.metaopt.core.tuning.LearningRateTuner;
import org.metaopt.core.tuning.TuningCache;
import org.metaopt.core.version.OptimizerVersion;
import org.metaopt.core.version.VersionFiles;
import org.metaopt.evaluator.EvaluationSummary;
import org.metaopt.evaluator.SuiteEvaluator;
import org.metaopt.evaluator.TaskScore;
import org.metaopt.ops.report.EvaluationReport;
import org.metaopt.ops.report.HtmlReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code metaopt evaluate}: a learned optimizer version against tuned baselines on a suite. */
@Command(
    name = "evaluate",
    mixinStandardHelpOptions = true,
    description = "Score a learned optimizer version against LR-tuned baselines on every task of a suite.",
    footer = {"", "Examples:",
        "  metaopt evaluate --optimizer pretrained/mlp-lopt.json --suite docs/examples/held-out-suite.yaml --seeds 3 --out runs/eval",
        "  metaopt evaluate --optimizer runs/hrnn/final.json --suite docs/examples/suite.yaml --seeds 1 --baselines adam,sgd --out runs/e2",
        "",
        "Writes DIR/evaluation.json and DIR/evaluation.md: per task final train loss, test loss, test accuracy,",
        "generalization gap, final Hessian trace, speedup over the tuned-Adam envelope and the training-loss curve;",
        "summary: win rates (1%% margin) vs the best tuned baseline, tuned adam-cosine and tuned Adam, median",
        "speedup, test-accuracy win rate, geometric-mean loss ratio. Baselines are tuned per task on a 16-point",
        "log grid over 1e-5..1 (extended once at an edge) by the mean final train loss of 2 tuning seeds (cached);",
        "evaluation seeds are fresh problem instances. DIR/report.html shows the loss curves and the tables.",
        "Exit codes: 0 done, 2 bad input."})
final class EvaluateCommand implements Callable<Integer> {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec cli;

  @Option(names = "--optimizer", required = true, paramLabel = "FILE", description = "Optimizer version file.")
  Path optimizer;

  @Option(names = "--suite", required = true, paramLabel = "SUITE", description = "Task suite file.")
  Path suiteFile;

  @Option(names = "--seeds", defaultValue = "3", paramLabel = "N", description = "Evaluation seeds 0..N-1 (default: ${DEFAULT-VALUE}).")
  int seeds;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder.")
  Path out;

  @Option(names = "--baselines", split = ",", paramLabel = "NAMES", description = "Baselines (default: all of them, so that 'best tuned baseline' means the best of all; adam is always included).")
  List<String> baselines;

  @Option(names = "--threads", paramLabel = "N", description = "Training runs at once (default: the number of cores).")
  Integer threads;

  @Option(names = "--data-dir", paramLabel = "DIR", description = "Fashion-MNIST folder.")
  Path dataDir;

  @Option(names = "--cache-dir", paramLabel = "DIR", description = "Tuning cache root (default: $METAOPT_CACHE or ~/.cache/metaopt).")
  Path cacheDir;

  @Override
  public Integer call() throws IOException {
    if (seeds < 1) {
      throw new UserError("--seeds " + seeds + " must be >= 1");
    }
    List<String> names = new java.util.ArrayList<>((baselines == null ? BaselineOptimizers.names() : baselines)
        .stream().map(BaselineOptimizers::requireKnown).distinct().toList());
    int runs = threads != null ? threads : Runtime.getRuntime().availableProcessors();
    if (runs < 1) {
      throw new UserError("--threads " + runs + " must be >= 1");
    }
    if (!names.contains("adam")) {
      names.add(0, "adam");
    }
    if (!Files.exists(optimizer) && BaselineOptimizers.isKnown(optimizer.toString())) {
      throw new UserError("--optimizer " + optimizer + " is a baseline; evaluate scores a learned optimizer's version"
          + " file (e.g. pretrained/mlp-lopt.json) against the baselines, which --baselines names");
    }
    OptimizerVersion v = VersionFiles.read(optimizer);
    LearnedOptimizer arch = LearnedOptimizers.create(v.architecture(), v.hyperparameters());
    SuiteSpec suite = SpecLoader.load(suiteFile);
    TaskFactory factory = new TaskFactory(dataDir);
    Path cacheRoot = cacheDir != null ? cacheDir : TuningCache.defaultRoot();
    LearningRateTuner tuner = new LearningRateTuner(new TuningCache(cacheRoot), runs);
    SuiteEvaluator evaluator = new SuiteEvaluator(factory, tuner, FinalHessianTrace.DEFAULT, runs)
        .baselineScores(new org.metaopt.evaluator.BaselineScoreCache(cacheRoot));
    Progress progress = new Progress(cli.commandLine().getErr());
    List<TaskScore> scores;
    try (Progress.Tracker bar = progress.start("evaluate", (long) suite.tasks().size() * (1 + names.size()), "runs")) {
      scores = evaluator.evaluate(suite, (t, steps) -> arch.create(v.theta(), t.layout(), steps), names, seeds,
          new SuiteEvaluator.Progress() {
            @Override
            public void done(int index, int total, TaskScore s) {
              bar.stepTo(index + 1, String.format("%s %s: train loss %.4g%s", s.task(), s.optimizer(), s.trainLoss(),
                  Double.isNaN(s.testAccuracy()) ? "" : String.format(", test accuracy %.4f", s.testAccuracy())));
            }

            @Override
            public void tuningTrial(String task, String optimizer, int trial, int trials, double lr, double score) {
              bar.message(String.format("tuning %s on %s: lr %.3g (%d/%d)", optimizer, task, lr, trial + 1, trials));
            }
          });
    }
    EvaluationSummary summary = EvaluationSummary.of(scores);
    Files.createDirectories(out);
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("optimizer", Map.of("file", optimizer.toString(), "architecture", v.architecture(), "version", v.version(),
        "thetaSha256", v.thetaSha256()));
    doc.put("suite", suite.name());
    doc.put("seeds", seeds);
    doc.put("baselines", names);
    doc.put("summary", summary);
    doc.put("tasks", scores);
    JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build().writeValue(out.resolve("evaluation.json").toFile(), doc);
    String md = EvaluationMarkdown.render(v, suite.name(), seeds, scores, summary);
    Files.writeString(out.resolve("evaluation.md"), md);
    HtmlReport report = EvaluationReport.build("Evaluation of " + v.architecture() + " version " + v.version()
        + " on " + suite.name(), EvaluationReport.provenance(optimizer.toString(), v.architecture(), v.version(),
        v.thetaSha256(), suite.name(), seeds, names), scores, summary);
    report.write(out.resolve("report.html"));
    java.io.PrintWriter o = cli.commandLine().getOut();
    o.print(EvaluationMarkdown.summaryLines(summary).replace("**", ""));
    o.printf("wrote %s, %s and %s%n", out.resolve("evaluation.json"), out.resolve("evaluation.md"),
        out.resolve("report.html"));
    o.flush();
    return 0;
  }
}
