package org.metaopt.ops.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ExperimentCommandTest {

  @Test
  void stepSizePrintsTheThreeTables() {
    CliRun run = CliRun.of("experiment", "step-size");
    assertEquals(0, run.exitCode(), run.err());
    assertTrue(run.out().contains("(a) |dF/deta|"));
    assertTrue(run.out().contains("grid best"));
    assertTrue(run.out().contains("train-by-validation"));
  }

  @Test
  void stepSizeJsonIsOneObjectWithEverySection() {
    CliRun run = CliRun.of("experiment", "step-size", "--json");
    assertEquals(0, run.exitCode(), run.err());
    String out = run.out().trim();
    assertTrue(out.startsWith("{") && out.endsWith("}"));
    assertTrue(out.contains("\"metaGradients\"") && out.contains("\"metaTraining\"") && out.contains("\"leastSquares\""));
  }

  @Test
  void helpShowsExamples() {
    CliRun run = CliRun.of("experiment", "step-size", "--help");
    assertEquals(0, run.exitCode());
    assertTrue(run.out().contains("metaopt experiment step-size --json"));
  }
}
