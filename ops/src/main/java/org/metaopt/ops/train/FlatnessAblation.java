package org.metaopt.ops.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.metaopt.core.UserError;
import org.metaopt.core.flatness.TopEigenvalue;
import org.metaopt.core.lopt.LearnedOptimizer;
import org.metaopt.core.lopt.registry.LearnedOptimizers;
import org.metaopt.core.meta.MetaTrainConfigs;
import org.metaopt.core.spec.SpecLoader;
import org.metaopt.core.spec.TaskFactory;
import org.metaopt.core.spec.TaskSpec;
import org.metaopt.core.train.Parallel;
import org.metaopt.core.train.RunResult;
import org.metaopt.core.version.OptimizerVersion;
import org.metaopt.core.version.VersionFiles;
import org.metaopt.evaluator.FinalHessianTrace;
import org.metaopt.evaluator.SuiteEvaluator;

/**
 * Seed 1's flatness ablation (issue 21): for each arm (no flatness term, the Hessian trace, the top eigenvalue, the
 * negative local entropy), {@code runs} independent meta-trainings of the same budget in meta-steps from one config,
 * each evaluated on the classifier tasks of a suite and on their label-noise variants. Run {@code r} of every arm uses
 * the same meta-training seed and every final version sees the same evaluation problem instances, so arms are
 * compared pairwise ({@link FlatnessAblationSummary}).
 *
 * <p>Each arm's config is written next to its run ({@code ARM-rN/meta.yaml}), so any single run reproduces with
 * {@code ./metaopt train --config ARM-rN/meta.yaml}. Not thread-safe; one ablation at a time (it uses every worker).
 */
public final class FlatnessAblation {
  /** The ablation's arms and the objective weight each one turns on. */
  public enum Arm {
    NONE("none", null), TRACE("trace", "hessianTrace"), LAMBDA_MAX("lambda-max", "topEigenvalue"),
    LOCAL_ENTROPY("local-entropy", "negLocalEntropy");

    public final String label;
    final String weight;

    Arm(String label, String weight) {
      this.label = label;
      this.weight = weight;
    }
  }

  /**
   * @param config the meta-training config every arm starts from
   * @param suite the suite whose classifier tasks (mlp, conv, logistic) score the final versions
   * @param weight the weight of the arm's flatness term (normalized per trajectory; the base objective is unchanged)
   * @param labelNoise the label-noise fraction of each task's noisy variant (0: no noisy variants)
   */
  public record Options(Path config, Path suite, Path out, int runs, long metaSteps, Duration maxTimePerRun,
      double weight, int seeds, int workers, double labelNoise, Path dataDir, Map<String, Object> deployment) {}

  /** One final version on one evaluation task and seed. */
  public record Row(String arm, int run, String task, int seed, boolean diverged, double trainLoss, double testLoss,
      double testAccuracy, double hessianTrace, double topEigenvalue) {

    /** Test loss minus final train loss (NaN for a diverged run). */
    public double gap() {
      return testLoss - trainLoss;
    }

    /** The test accuracy, 0 for a diverged run (a diverged run is a loss, never dropped). */
    public double testAccuracyOrZero() {
      return diverged ? 0 : testAccuracy;
    }
  }

  private static final YAMLMapper YAML = YAMLMapper.builder().build();
  private final Options o;
  private final TaskFactory factory;

  public FlatnessAblation(Options options) {
    if (options.runs() < 1 || options.seeds() < 1 || options.metaSteps() < 1) {
      throw new UserError("--runs, --seeds and --meta-steps must be >= 1");
    }
    this.o = options;
    this.factory = new TaskFactory(options.dataDir());
  }

  /** The evaluation tasks: the suite's classifier tasks and, with label noise, each one's noisy variant. */
  public List<TaskSpec> evaluationTasks() {
    List<TaskSpec> out = new ArrayList<>();
    for (TaskSpec t : SpecLoader.load(o.suite()).tasks()) {
      if (List.of("mlp", "conv", "logistic").contains(t.family())) {
        out.add(t);
        if (o.labelNoise() > 0) {
          out.add(t.withLabelNoise(t.name() + "-noise" + Math.round(100 * o.labelNoise()), o.labelNoise()));
        }
      }
    }
    if (out.isEmpty()) {
      throw new UserError(o.suite() + " has no classifier task (family mlp, conv or logistic) to score flatness on");
    }
    return out;
  }

  /**
   * Every arm's runs, then their evaluations; rows are appended to {@code out/rows.jsonl} as they come. A run whose
   * final version exists is not trained again and one whose rows are in rows.jsonl is not scored again, so a stopped
   * ablation resumes where it was (with the same options).
   */
  public List<Row> run(PrintWriter say) throws InterruptedException {
    List<TaskSpec> tasks = evaluationTasks();
    Path rowsFile = o.out().resolve("rows.jsonl");
    List<Row> rows = new ArrayList<>(FlatnessAblationSummary.read(rowsFile));
    for (int r = 0; r < o.runs(); r++) {
      for (Arm arm : Arm.values()) {
        int run = r;
        if (rows.stream().anyMatch(x -> x.arm().equals(arm.label) && x.run() == run)) {
          continue;
        }
        Path dir = o.out().resolve(arm.label + "-r" + r);
        Path finalFile = dir.resolve("final.json");
        if (!Files.exists(finalFile)) { // a finished run is kept: an interrupted ablation resumes
          MetaTrainConfigs.Loaded config = MetaTrainConfigs.load(writeArmConfig(arm, r, dir));
          var summary = new MetaTrainingRun(config, dir, o.workers(), o.dataDir(), null)
              .run(o.metaSteps(), o.maxTimePerRun(), null);
          say.printf("%s run %d: %d meta-steps in %.0f s, %d segments%n", arm.label, r, summary.metaSteps(),
              summary.seconds(), summary.segments());
          say.flush();
        }
        List<Row> scored = evaluate(arm, r, VersionFiles.read(finalFile), tasks);
        rows.addAll(scored);
        FlatnessAblationSummary.append(rowsFile, scored);
      }
    }
    return rows;
  }

  /** The config of {@code arm}'s run {@code r}: the base config, the arm's weight, seed base + r, absolute paths. */
  Path writeArmConfig(Arm arm, int r, Path dir) {
    JsonNode read = SpecLoader.readTree(o.config());
    if (!(read instanceof ObjectNode tree)) {
      throw new UserError(o.config() + ": expected a mapping of meta-training settings");
    }
    Path base = o.config().toAbsolutePath().getParent();
    tree.put("name", tree.path("name").asText("ablation") + "-" + arm.label + "-r" + r);
    tree.put("tasks", base.resolve(tree.path("tasks").asText()).normalize().toString());
    tree.remove("heldOut"); // scored once at the end instead
    tree.put("seed", tree.path("seed").asLong(0) + 1000L * r);
    if (arm.weight != null) {
      ObjectNode objective = tree.has("objective") ? (ObjectNode) tree.get("objective") : tree.putObject("objective");
      objective.put(arm.weight, o.weight());
    }
    try {
      Files.createDirectories(dir);
      Path file = dir.resolve("meta.yaml");
      YAML.writeValue(file.toFile(), tree);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + dir.resolve("meta.yaml"), e);
    }
  }

  /** {@code version} (with the deployment overrides) on every task and seed, with the final flatness measures. */
  List<Row> evaluate(Arm arm, int run, OptimizerVersion version, List<TaskSpec> tasks) {
    Map<String, Object> hyper = new LinkedHashMap<>(version.hyperparameters());
    hyper.putAll(o.deployment());
    LearnedOptimizer lopt = LearnedOptimizers.create(version.architecture(), hyper);
    SuiteEvaluator evaluator = new SuiteEvaluator(factory, null, null);
    List<Row> rows = new ArrayList<>();
    for (TaskSpec spec : tasks) {
      Row[] seeds = new Row[o.seeds()];
      Parallel.forEach(o.seeds(), o.workers(), i -> {
        var e = evaluator.evaluationRun(spec, t -> lopt.create(version.theta(), t.layout(), spec.steps()), i);
        seeds[i] = row(arm, run, spec, i, e.task(), e.run());
      });
      rows.addAll(List.of(seeds));
    }
    return rows;
  }

  private static Row row(Arm arm, int run, TaskSpec spec, int seed, org.metaopt.core.task.Task task, RunResult r) {
    if (r.diverged()) {
      return new Row(arm.label, run, spec.name(), seed, true, Double.POSITIVE_INFINITY, Double.NaN, Double.NaN,
          Double.NaN, Double.NaN);
    }
    double trace = FinalHessianTrace.DEFAULT.hessianTrace(task, r.finalParams());
    var batch = task.sampleBatch(new SplittableRandom(0x7ACEL));
    double top = new TopEigenvalue(20, 1e-3).estimate(task, r.finalParams(), batch, 23).eigenvalue();
    return new Row(arm.label, run, spec.name(), seed, false, r.train().loss(),
        r.test() == null ? Double.NaN : r.test().loss(),
        r.test() != null && r.test().hasAccuracy() ? r.test().accuracy() : Double.NaN, trace, top);
  }
}
