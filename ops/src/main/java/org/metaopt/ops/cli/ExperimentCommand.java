package org.metaopt.ops.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.metaopt.core.meta.stepsize.ForwardModeUnroll;
import org.metaopt.core.meta.stepsize.LeastSquaresStepSizeStudy;
import org.metaopt.core.meta.stepsize.QuadraticStepSizeMetaGradient;
import org.metaopt.core.meta.stepsize.StepSizeMetaTraining;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Reproduces the seeds' experiments as printed tables (or one JSON line); each subcommand is one experiment. */
@Command(
    name = "experiment",
    mixinStandardHelpOptions = true,
    description = "Reproduce a seed paper's experiments and print the result tables.",
    footer = {"", "Examples:",
        "  metaopt experiment step-size           # seed 2 tables as text",
        "  metaopt experiment step-size --json    # the same as one JSON object",
        "  metaopt experiment flatness --config docs/examples/meta-celo2-flat.yaml --runs 3 --out runs/flatness"})
final class ExperimentCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** Unroll lengths of the meta-gradient table. */
  static final int[] HORIZONS = {10, 20, 40, 80, 160, 320, 640, 1280, 2560, 5120, 10240};
  /** Trace rows printed in text mode (JSON carries every meta-step). */
  private static final Set<Integer> SHOWN_STEPS = Set.of(1, 2, 5, 10, 20, 50, 100, 150, 200, 250, 300);

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** One row of the meta-gradient table: |dF/deta| at one unroll length for eta below and above 2/L. */
  record GradientRow(int t, double naiveBelow, double logBelow, double forwardLogBelow, double naiveAbove,
      double logAbove, double forwardLogAbove) {}

  @Command(
      name = "step-size",
      mixinStandardHelpOptions = true,
      description = {"Seed 2 (Wang et al., ICML 2021): naive vs log meta-gradients of the step size, meta-gradient "
          + "descent on eta, and train-by-train vs train-by-validation on noisy least squares. Runs in a few seconds."},
      footer = {"", "Examples:",
          "  metaopt experiment step-size",
          "  metaopt experiment step-size --json > step-size.json"})
  int stepSize(@Option(names = "--json", description = "Print one JSON object instead of tables.") boolean json) {
    PrintWriter out = spec.commandLine().getOut();
    // (a) kappa = 10 so that eta = 0.5/L contracts every mode (|1 - eta lambda| <= 0.95) and the naive gradient
    // visibly vanishes; 2.2/L expands the top mode by 1.2 per step.
    QuadraticStepSizeMetaGradient q = QuadraticStepSizeMetaGradient.randomTask(20, 10, 1L);
    double below = 0.5 / q.largestEigenvalue();
    double above = 2.2 / q.largestEigenvalue();
    List<GradientRow> grads = new ArrayList<>();
    for (int t : HORIZONS) {
      ForwardModeUnroll fb = q.forwardMode(below, t);
      ForwardModeUnroll fa = q.forwardMode(above, t);
      grads.add(new GradientRow(t, Math.abs(q.naiveDerivative(below, t)), Math.abs(q.logDerivative(below, t)),
          Math.abs(fb.logDerivative()), Math.abs(q.naiveDerivative(above, t)), Math.abs(q.logDerivative(above, t)),
          Math.abs(fa.logDerivative())));
    }
    // (b) meta-training, plus the paper's literal meta step for comparison
    StepSizeMetaTraining.Config cfg = StepSizeMetaTraining.Config.paper();
    StepSizeMetaTraining.Result train = StepSizeMetaTraining.run(cfg);
    StepSizeMetaTraining.Result literal = StepSizeMetaTraining.run(new StepSizeMetaTraining.Config(cfg.dim(),
        cfg.conditionNumber(), cfg.horizon(), cfg.eta0(), 0.01, cfg.metaSteps(), cfg.tasksPerStep(), cfg.freshTasks(),
        cfg.evaluationTasks(), cfg.gridPoints(), cfg.seed()));
    // (c) least squares at two noise levels
    LeastSquaresStepSizeStudy.Config base = LeastSquaresStepSizeStudy.Config.paperScaled();
    Map<String, List<LeastSquaresStepSizeStudy.Row>> ls = new LinkedHashMap<>();
    for (double noise : new double[] {1.0, 0.5}) {
      ls.put("sigma=" + noise, LeastSquaresStepSizeStudy.run(new LeastSquaresStepSizeStudy.Config(base.dim(),
          base.samples(), base.horizon(), noise, base.tasks(), base.testExamples(), base.etaMin(), base.etaMax(),
          base.gridPoints(), base.seed())));
    }
    if (json) {
      Map<String, Object> all = new LinkedHashMap<>();
      all.put("metaGradients", Map.of("dim", 20, "conditionNumber", 10, "etaBelow", below, "etaAbove", above,
          "rows", grads));
      all.put("metaTraining", Map.of("config", cfg, "result", train, "literalPaperStepFinalEta", literal.finalEta()));
      all.put("leastSquares", Map.of("config", base, "rows", ls));
      out.println(Json.write(all));
      return 0;
    }
    out.printf("(a) |dF/deta| vs unroll length t: quadratic d=20, kappa=10, L=%.3g, ||w0||=1; eta=0.5/L (below 2/L) "
        + "and eta=2.2/L (above)%n", q.largestEigenvalue());
    out.println("    naive = f(w_t), analytic; log = (1/t) log f(w_t), analytic in log space; "
        + "fwd-log = f'/(t f) from forward-mode through the unroll in double");
    out.printf("| %6s | %10s | %10s | %10s | %10s | %10s | %10s |%n", "t", "naive 0.5", "log 0.5", "fwd-log 0.5",
        "naive 2.2", "log 2.2", "fwd-log 2.2");
    out.println("|-------:|-----------:|-----------:|------------:|-----------:|-----------:|------------:|");
    for (GradientRow r : grads) {
      out.printf("| %6d | %10.3e | %10.3e | %11.3e | %10.3e | %10.3e | %11.3e |%n", r.t(), r.naiveBelow(),
          r.logBelow(), r.forwardLogBelow(), r.naiveAbove(), r.logAbove(), r.forwardLogAbove());
    }
    out.println();
    out.printf("(b) meta-gradient descent on eta, log objective, exact analytic meta-gradient: d=%d, kappa=%.0f, t=%d, "
        + "eta0=%.2g, alpha_k=%.3g/sqrt(k), %d fresh tasks (w0 on the unit sphere) per meta-step; grid best = argmin "
        + "of the mean log objective over %d fixed tasks, %d log-spaced points in [1e-3, 2/L]%n", cfg.dim(),
        cfg.conditionNumber(), cfg.horizon(), cfg.eta0(), cfg.alpha0(), cfg.tasksPerStep(), cfg.evaluationTasks(),
        cfg.gridPoints());
    out.printf("| %9s | %9s | %11s |%n", "meta-step", "eta", "|gradient|");
    out.println("|----------:|----------:|------------:|");
    for (StepSizeMetaTraining.Step s : train.trace()) {
      if (SHOWN_STEPS.contains(s.step())) {
        out.printf("| %9d | %9.5f | %11.3e |%n", s.step(), s.eta(), Math.abs(s.gradient()));
      }
    }
    out.printf("final eta %.5f, grid best %.5f, relative error %.2e; within 1%% from meta-step %d on%n",
        train.finalEta(), train.gridBestEta(), train.relativeError(), train.settledWithinOnePercentAt());
    out.printf("with the paper's literal meta step 0.01/sqrt(k) (not scale-free): final eta %.5f after %d steps%n%n",
        literal.finalEta(), cfg.metaSteps());
    out.printf("(c) least squares, GD from w=0 for t=%d steps: d=%d, n=%d samples (train-by-train trains on all n; "
        + "train-by-validation trains on n/2, validates on n/2), %d tasks, eta grid %d log-spaced points in [%.0e, %.0e]; "
        + "means over tasks; test loss = 1/2 MSE on %d fresh samples; excess risk = ||w_t - w*||^2%n",
        base.horizon(), base.dim(), base.samples(), base.tasks(), base.gridPoints(), base.etaMin(), base.etaMax(),
        base.testExamples());
    out.printf("| %5s | %-19s | %8s | %10s | %10s | %9s | %11s |%n", "sigma", "meta-objective", "eta", "train loss",
        "val loss", "test loss", "excess risk");
    out.println("|------:|---------------------|---------:|-----------:|-----------:|----------:|------------:|");
    for (Map.Entry<String, List<LeastSquaresStepSizeStudy.Row>> e : ls.entrySet()) {
      for (LeastSquaresStepSizeStudy.Row r : e.getValue()) {
        out.printf("| %5s | %-19s | %8.4f | %10.4f | %10s | %9.4f | %11.4f |%n", e.getKey().substring(6),
            r.objective().name().toLowerCase().replace('_', '-'), r.eta(), r.trainLoss(),
            Double.isNaN(r.validationLoss()) ? "n/a" : String.format("%.4f", r.validationLoss()), r.testLoss(),
            r.excessRisk());
      }
    }
    return 0;
  }

  @Command(
      name = "flatness",
      mixinStandardHelpOptions = true,
      description = {"Seed 1 (flatness-aware learned optimizers): for each arm (none, trace, lambda-max, "
          + "local-entropy), R independent meta-trainings of the same meta-step budget from one config, each final "
          + "version scored on the suite's classifier tasks and their label-noise variants; prints the table with "
          + "95%% intervals and writes rows.jsonl and summary.md under --out. A finished run is kept, so a stopped "
          + "ablation resumes where it was."},
      footer = {"", "Examples:",
          "  metaopt experiment flatness --config docs/examples/meta-celo2-flat.yaml --runs 3 --meta-steps 120 "
              + "--out runs/flatness"})
  int flatness(
      @Option(names = "--config", required = true, paramLabel = "META.yaml", description = "Meta-training config every arm starts from.") Path config,
      @Option(names = "--runs", defaultValue = "3", paramLabel = "R", description = "Independent meta-trainings per arm (default: ${DEFAULT-VALUE}).") int runs,
      @Option(names = "--meta-steps", defaultValue = "120", paramLabel = "K", description = "Meta-steps per run, the same for every arm (default: ${DEFAULT-VALUE}).") long metaSteps,
      @Option(names = "--max-minutes", defaultValue = "30", paramLabel = "M", description = "Safety limit per run in minutes (default: ${DEFAULT-VALUE}); a run that hits it is reported with fewer meta-steps.") double maxMinutes,
      @Option(names = "--weight", defaultValue = "0.1", paramLabel = "W", description = "Weight of the arm's normalized flatness term (default: ${DEFAULT-VALUE}).") double weight,
      @Option(names = "--suite", defaultValue = "docs/examples/held-out-suite.yaml", paramLabel = "SUITE", description = "Suite whose classifier tasks score the versions (default: ${DEFAULT-VALUE}).") Path suite,
      @Option(names = "--seeds", defaultValue = "2", paramLabel = "S", description = "Evaluation seeds per task (default: ${DEFAULT-VALUE}).") int seeds,
      @Option(names = "--label-noise", defaultValue = "0.2", paramLabel = "P", description = "Label-noise fraction of the noisy variants, 0 for none (default: ${DEFAULT-VALUE}).") double labelNoise,
      @Option(names = "--workers", defaultValue = "2", paramLabel = "W", description = "Worker threads (default: ${DEFAULT-VALUE}).") int workers,
      @Option(names = "--deploy", split = ",", paramLabel = "KEY=VALUE", description = "Hyperparameters every final version is scored with (default: schedule=cosine, celo2's deployment).") Map<String, String> deploy,
      @Option(names = "--data-dir", paramLabel = "DIR", description = "Fashion-MNIST folder (default: $METAOPT_DATA or /usr/share/datasets/fashion-mnist).") Path dataDir,
      @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder.") Path out)
      throws Exception {
    Map<String, Object> deployment = new LinkedHashMap<>();
    (deploy == null ? Map.of("schedule", "cosine") : deploy).forEach(deployment::put);
    java.nio.file.Files.createDirectories(out);
    var ablation = new org.metaopt.ops.train.FlatnessAblation(new org.metaopt.ops.train.FlatnessAblation.Options(
        config, suite, out, runs, metaSteps, java.time.Duration.ofSeconds(Math.round(maxMinutes * 60)), weight, seeds,
        workers, labelNoise, dataDir, deployment));
    PrintWriter say = spec.commandLine().getOut();
    var rows = ablation.run(say);
    String table = org.metaopt.ops.train.FlatnessAblationSummary.table(rows);
    java.nio.file.Files.writeString(out.resolve("summary.md"), table);
    say.println(table);
    return 0;
  }
}
