package org.metaopt.ops.cli;

import java.io.PrintWriter;
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
        "  metaopt experiment step-size --json    # the same as one JSON object"})
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
}
