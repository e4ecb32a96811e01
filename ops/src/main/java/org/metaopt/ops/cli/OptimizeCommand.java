package org.metaopt.ops.cli;

import org.metaopt.ops.console.Progress;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.metaopt.core.UserError;
import org.metaopt.core.lopt.registry.LearnedOptimizers;
import org.metaopt.core.optim.BaselineOptimizers;
import org.metaopt.core.version.OptimizerVersion;
import org.metaopt.core.version.VersionFiles;
import org.metaopt.core.optim.Optimizer;
import org.metaopt.core.spec.SpecHash;
import org.metaopt.core.spec.SpecLoader;
import org.metaopt.core.spec.SuiteSpec;
import org.metaopt.core.spec.TaskFactory;
import org.metaopt.core.spec.TaskSpec;
import org.metaopt.core.task.Task;
import org.metaopt.core.train.RunResult;
import org.metaopt.core.train.Trainer;
import org.metaopt.core.tuning.LearningRateTuner;
import org.metaopt.core.tuning.TuningCache;
import org.metaopt.core.tuning.TuningResult;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code metaopt optimize}: trains one task with one optimizer and reports losses, accuracy and speed. */
@Command(
    name = "optimize",
    mixinStandardHelpOptions = true,
    description = "Train one task (optimizee) with one optimizer and report the result.",
    footer = {"", "Examples:",
        "  metaopt optimize --task docs/examples/fashion-mlp.yaml --optimizer adam --lr 1e-3",
        "  metaopt optimize --task docs/examples/quadratic.yaml --optimizer sgd --tune --json",
        "  metaopt optimize --task docs/examples/suite.yaml --name rosenbrock-10 --optimizer lion --tune",
        "",
        "Optimizers: sgd, momentum, nesterov, rmsprop, adam, adamw, lion (constant rate), adam-cosine,",
        "adamw-cosine, nesterov-cosine (5%% linear warm-up, cosine decay to 0 at the last step), muon; or a",
        "learned optimizer's version file.",
        "Without --lr or --tune the optimizer's default learning rate is used.",
        "A learned optimizer with a learning rate (celo2's η) takes --lr to override it and --tune to tune it",
        "like a baseline's rate; without either it runs with the η its file holds.",
        "--tune grid-searches the learning rate (16 log-spaced points over 1e-5..1, extended once by a decade",
        "when the best is at an edge) by the mean final train loss of 2 tuning seeds, each a fresh problem",
        "instance, and caches it under $METAOPT_CACHE (default ~/.cache/metaopt), keyed by the task spec's hash,",
        "the grid and the scoring rule.",
        "Exit codes: 0 trained (also when the run diverged: see 'diverged'), 2 bad spec, option or data."})
final class OptimizeCommand implements Callable<Integer> {

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec cli;

  @Option(names = "--task", required = true, paramLabel = "SPEC_FILE", description = "Task spec (YAML or JSON): one task or a suite.")
  Path taskFile;

  @Option(names = "--name", paramLabel = "TASK", description = "Which task of a suite file to train (by name).")
  String taskName;

  @Option(names = "--optimizer", required = true, paramLabel = "NAME|FILE", description = "Baseline optimizer name, or an optimizer version file (.json).")
  String optimizer;

  @ArgGroup(exclusive = true)
  LearningRate learningRate;

  static final class LearningRate {
    @Option(names = "--lr", paramLabel = "X", description = "Learning rate.")
    Double lr;

    @Option(names = "--tune", description = "Grid-search the learning rate first (cached).")
    boolean tune;
  }

  @Option(names = "--steps", paramLabel = "N", description = "Training steps (default: the spec's steps).")
  Integer steps;

  @Option(names = "--seed", paramLabel = "S", defaultValue = "0", description = "Run seed: initialization and minibatch order (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--json", description = "Print one JSON object instead of a summary.")
  boolean json;

  @Option(names = "--data-dir", paramLabel = "DIR", description = "Folder with the Fashion-MNIST IDX files (default: $METAOPT_DATA or /usr/share/datasets/fashion-mnist).")
  Path dataDir;

  @Option(names = "--cache-dir", paramLabel = "DIR", description = "Tuning cache root (default: $METAOPT_CACHE or ~/.cache/metaopt).")
  Path cacheDir;

  @Override
  public Integer call() {
    TaskSpec spec = withSteps(pick(SpecLoader.load(taskFile)));
    OptimizerVersion version = resolveOptimizer();
    TaskFactory factory = new TaskFactory(dataDir);
    Progress progress = new Progress(json ? null : cli.commandLine().getErr());
    Task task = factory.create(spec);

    Rate rate = version != null ? learnedRate(version, spec, factory, progress)
        : baselineRate(spec, factory, progress);
    int total = spec.steps();
    Optimizer opt = version != null
        ? learned(version, rate.lr()).create(version.theta(), task.layout(), total)
        : BaselineOptimizers.create(optimizer, rate.lr(), task.layout(), total);
    long t0 = System.nanoTime();
    RunResult r;
    try (Progress.StepTracker steps = progress.stepListener(total)) {
      r = new Trainer().train(task, opt, total, seed, steps);
    }
    double seconds = (System.nanoTime() - t0) / 1e9;

    Course course = Course.of(r);
    Map<String, Object> out = result(spec, version, rate, r, seconds, course);
    java.io.PrintWriter stdout = cli.commandLine().getOut();
    stdout.println(json ? Json.write(out) : Summary.of(out));
    stdout.flush();
    if (course.regressed() && !json) {
      cli.commandLine().getErr().printf("warning: %s lost most of its progress on %s: first minibatch loss %.6g,"
          + " best %.6g (mean over 5%% of the steps), final training loss %.6g. A learned optimizer far from its"
          + " meta-training tasks (wider layers, longer runs) can do this; see pretrained/README.md, or compare with"
          + " a baseline (--optimizer adam --tune).%n", optimizer, spec.name(), course.first(), course.best(),
          course.last());
    }
    return 0;
  }

  /** The learning rate to train with, and the tuning that chose it (null when not tuned). */
  private record Rate(double lr, TuningResult tuning) {}

  /**
   * How the loss went: the first minibatch loss, the best 5%-window mean, the final training loss, and whether the
   * run regressed: the final loss kept less than half of the drop the run reached at its best, or the loss never
   * dropped (a learned optimizer far from its meta-training tasks can wander off, undiverged).
   */
  private record Course(double first, double best, double last, boolean regressed) {
    static Course of(RunResult r) {
      double first = r.stepsCompleted() > 0 ? r.minibatchLosses()[0] : Double.NaN;
      double best = Math.min(first, r.bestWindowMeanLoss(0.05));
      double last = r.train().loss();
      boolean regressed = !r.diverged() && Double.isFinite(first) && Double.isFinite(last)
          && !(first - last > 0.5 * (first - best) && last < first);
      return new Course(first, best, last, regressed);
    }
  }

  /** {@code spec} with --steps applied, if given. */
  private TaskSpec withSteps(TaskSpec spec) {
    if (steps == null) {
      return spec;
    }
    if (steps < 1) {
      throw new UserError("--steps " + steps + " must be >= 1");
    }
    return spec.withSteps(steps);
  }

  /**
   * The learned optimizer's version when --optimizer names a version file (checking that --lr / --tune apply to
   * it), else null, with {@link #optimizer} normalized to a known baseline's name.
   */
  private OptimizerVersion resolveOptimizer() {
    if (!VersionFiles.looksLikeVersionFile(optimizer)) {
      optimizer = BaselineOptimizers.requireKnown(optimizer);
      return null;
    }
    OptimizerVersion version = VersionFiles.read(Path.of(optimizer));
    if (learningRate != null && !version.hyperparameters().containsKey("lr")
        && !LearnedOptimizers.create(version.architecture(), version.hyperparameters()).hyperparameters()
            .containsKey("lr")) {
      throw new UserError("--lr and --tune apply to baseline optimizers and to learned optimizers with a learning"
          + " rate (celo2's η); " + version.architecture() + " (" + optimizer + ") sets its own steps");
    }
    return version;
  }

  /** A learned optimizer's rate: tuned, --lr, or NaN (the η its file holds). */
  private Rate learnedRate(OptimizerVersion v, TaskSpec spec, TaskFactory factory, Progress progress) {
    if (learningRate == null || !learningRate.tune) {
      return new Rate(learningRate != null ? learningRate.lr : Double.NaN, null);
    }
    LearningRateTuner tuner = new LearningRateTuner(new TuningCache(cacheDir != null ? cacheDir
        : TuningCache.defaultRoot()), Runtime.getRuntime().availableProcessors());
    TuningResult tuning = tuner.tune(spec, factory::create, "learned:" + v.thetaSha256() + ":" + v.hyperparameters(),
        (x, layout, total) -> learned(v, x).create(v.theta(), layout, total), spec.steps(),
        BaselineOptimizers.defaultLearningRateGrid("adam"), (i, n, x, score) -> progress.line(String.format(
            "tuning %s's lr: %.3g -> %.4g (%d/%d)", v.architecture(), x, score, i + 1, n)));
    return new Rate(tuning.bestLearningRate(), tuning);
  }

  /** A baseline's rate: tuned, --lr, or the optimizer's default. */
  private Rate baselineRate(TaskSpec spec, TaskFactory factory, Progress progress) {
    if (learningRate != null && learningRate.tune) {
      LearningRateTuner tuner = new LearningRateTuner(new TuningCache(cacheDir != null ? cacheDir : TuningCache.defaultRoot()));
      double[] grid = BaselineOptimizers.defaultLearningRateGrid(optimizer);
      final String name = optimizer;
      TuningResult tuning = tuner.tune(spec, factory::create, optimizer, spec.steps(), grid,
          (i, n, x, score) -> progress.line(String.format("tuning %s: lr %.3g -> %.4g (%d/%d)", name, x, score, i + 1, n)));
      return new Rate(tuning.bestLearningRate(), tuning);
    }
    if (learningRate != null && learningRate.lr != null) {
      return new Rate(learningRate.lr, null);
    }
    return new Rate(BaselineOptimizers.defaultLearningRate(optimizer), null);
  }

  /** The result object (printed as JSON with --json, else as a summary). */
  private Map<String, Object> result(TaskSpec spec, OptimizerVersion version, Rate rate, RunResult r,
      double seconds, Course course) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("task", spec.name());
    out.put("family", spec.family());
    out.put("optimizer", optimizer);
    out.put("lr", Double.isNaN(rate.lr()) ? null : rate.lr());
    if (version != null) {
      out.put("architecture", version.architecture());
      out.put("version", version.version());
      out.put("thetaSha256", version.thetaSha256());
    }
    TuningResult tuning = rate.tuning();
    out.put("tuned", tuning != null);
    out.put("steps", r.stepsCompleted());
    out.put("seed", seed);
    out.put("trainLoss", finite(r.train().loss()));
    out.put("trainAccuracy", r.train().hasAccuracy() ? r.train().accuracy() : null);
    out.put("testLoss", r.test() != null ? finite(r.test().loss()) : null);
    out.put("testAccuracy", r.test() != null && r.test().hasAccuracy() ? r.test().accuracy() : null);
    out.put("stepsPerSecond", r.stepsPerSecond());
    out.put("seconds", seconds);
    out.put("diverged", r.diverged());
    out.put("divergenceReason", r.divergenceReason());
    out.put("firstLoss", finite(course.first()));
    out.put("bestLoss", finite(course.best()));
    out.put("regressed", course.regressed());
    out.put("specHash", SpecHash.of(spec));
    if (tuning != null) {
      out.put("tuningGrid", tuning.grid());
      out.put("tuningScores", tuning.scores().stream().map(OptimizeCommand::finite).toList());
      out.put("tuningGridExtended", tuning.extended());
      out.put("tunedRateAtGridEdge", tuning.bestAtGridEdge());
    }
    return out;
  }

  /** The version's architecture, with its learning rate hyperparameter set to {@code lr} unless NaN. */
  private static org.metaopt.core.lopt.LearnedOptimizer learned(OptimizerVersion v, double lr) {
    Map<String, Object> h = new LinkedHashMap<>(v.hyperparameters());
    if (!Double.isNaN(lr)) {
      if (!(lr > 0) || Double.isInfinite(lr)) {
        throw new UserError("--lr " + lr + " must be finite and > 0");
      }
      h.put("lr", lr);
    }
    return LearnedOptimizers.create(v.architecture(), h);
  }

  private TaskSpec pick(SuiteSpec suite) {
    if (taskName != null) {
      return suite.tasks().stream().filter(t -> t.name().equals(taskName)).findFirst().orElseThrow(() -> new UserError(
          taskFile + " has no task named '" + taskName + "'; it has: "
              + String.join(", ", suite.tasks().stream().map(TaskSpec::name).toList())));
    }
    if (suite.tasks().size() > 1) {
      throw new UserError(taskFile + " is a suite of " + suite.tasks().size() + " tasks; choose one with --name ("
          + String.join(", ", suite.tasks().stream().map(TaskSpec::name).toList()) + ")");
    }
    return suite.tasks().get(0);
  }

  /** JSON has no NaN/Infinity: non-finite numbers are written as null. */
  private static Double finite(double x) {
    return Double.isFinite(x) ? x : null;
  }
}
