package org.metaopt.ops.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.metaopt.core.flatness.FlatnessTerm;
import org.metaopt.core.meta.MetaTrainConfigs;
import org.metaopt.core.spec.TaskSpec;
import org.metaopt.ops.train.FlatnessAblation.Arm;
import org.metaopt.ops.train.FlatnessAblation.Row;

/** The flatness ablation's per-arm configs, evaluation tasks and paired table (the runs themselves: docs/results.md). */
class FlatnessAblationTest {
  @TempDir Path tmp;

  private FlatnessAblation ablation(double labelNoise) throws Exception {
    Path repo = Path.of("..").toAbsolutePath().normalize();
    return new FlatnessAblation(new FlatnessAblation.Options(repo.resolve("docs/examples/meta-celo2-flat.yaml"),
        repo.resolve("docs/examples/held-out-suite.yaml"), tmp, 3, 10, Duration.ofMinutes(1), 0.25, 2, 1,
        labelNoise, null, Map.of("schedule", "cosine")));
  }

  @Test
  void eachArmsConfigLoadsWithItsTermWeightedAndTheRunsSeed() throws Exception {
    FlatnessAblation a = ablation(0.2);
    MetaTrainConfigs.Loaded none = MetaTrainConfigs.load(a.writeArmConfig(Arm.NONE, 0, tmp.resolve("n")));
    MetaTrainConfigs.Loaded trace = MetaTrainConfigs.load(a.writeArmConfig(Arm.TRACE, 2, tmp.resolve("t")));
    MetaTrainConfigs.Loaded top = MetaTrainConfigs.load(a.writeArmConfig(Arm.LAMBDA_MAX, 2, tmp.resolve("l")));
    assertEquals(null, none.flatness(), "the none arm measures nothing");
    assertEquals(0.25, trace.weights().hessianTrace());
    assertEquals(1.0, trace.weights().meanClippedLoss(), "the base objective is kept");
    assertEquals(java.util.Set.of(FlatnessTerm.HESSIAN_TRACE), trace.flatness().terms());
    assertEquals(0.25, top.weights().topEigenvalue());
    assertEquals(none.seed() + 2000, trace.seed(), "run r adds 1000 r to the config's seed");
    assertTrue(Files.exists(trace.tasksFile()), "the tasks path is made absolute: " + trace.tasksFile());
  }

  @Test
  void theEvaluationTasksAreTheClassifiersAndTheirNoisyVariants() throws Exception {
    List<TaskSpec> tasks = ablation(0.2).evaluationTasks();
    assertTrue(tasks.stream().allMatch(t -> List.of("mlp", "conv", "logistic").contains(t.family())));
    long noisy = tasks.stream().filter(t -> t.name().endsWith("-noise20")).count();
    assertEquals(tasks.size(), 2 * noisy);
    assertTrue(tasks.stream().filter(t -> t.name().endsWith("-noise20")).allMatch(t -> t.noise() == 0.2));
    assertEquals(noisy, ablation(0).evaluationTasks().size());
  }

  @Test
  void theTablePairsEachArmWithNoneAndCountsADivergedRunAsZeroAccuracy() {
    List<Row> rows = List.of(
        new Row("none", 0, "t", 0, false, 0.5, 0.6, 0.80, 10, 2),
        new Row("none", 0, "t", 1, false, 0.5, 0.6, 0.70, 10, 2),
        new Row("trace", 0, "t", 0, false, 0.5, 0.55, 0.82, 5, 2),
        new Row("trace", 0, "t", 1, true, Double.POSITIVE_INFINITY, Double.NaN, Double.NaN, Double.NaN, Double.NaN));
    String table = FlatnessAblationSummary.table(rows);
    String trace = table.lines().filter(l -> l.startsWith("| trace | clean")).findFirst().orElseThrow();
    assertTrue(trace.contains("| 2 | 1 |"), trace);
    assertTrue(trace.contains("0.4100 ± 5.2095"), "mean of 0.82 and 0 with its t interval: " + trace);
    assertTrue(trace.contains("-0.3400 ± 4.5742"), "paired: (0.02 - 0.70) / 2: " + trace);
    assertTrue(trace.contains("-0.693 ± NaN"), "ln(5/10) on the one pair both measured: " + trace);
  }

  @Test
  void rowsReadBackAsWrittenSoAStoppedAblationResumes() {
    Path file = tmp.resolve("rows.jsonl");
    List<Row> rows = List.of(new Row("none", 1, "t", 0, false, 0.5, 0.6, 0.8, 10, 2),
        new Row("trace", 1, "t", 1, true, Double.POSITIVE_INFINITY, Double.NaN, Double.NaN, Double.NaN, Double.NaN));
    FlatnessAblationSummary.append(file, rows);
    assertEquals(rows, FlatnessAblationSummary.read(file));
    assertEquals(List.of(), FlatnessAblationSummary.read(tmp.resolve("none.jsonl")));
  }
}
