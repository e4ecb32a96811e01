package org.metaopt.ops.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OptimizeCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;

  static Path example(String name) {
    Path p = Path.of("..", "docs", "examples", name);
    return Files.exists(p) ? p : Path.of("docs", "examples", name);
  }

  private JsonNode json(CliRun r) throws IOException {
    assertEquals(0, r.exitCode(), r.err());
    return JSON.readTree(r.out());
  }

  @Test
  void trainsAQuadraticAndReportsEveryRequiredField() throws IOException {
    JsonNode j = json(CliRun.of("optimize", "--task", example("quadratic.yaml").toString(), "--optimizer", "sgd",
        "--lr", "1.0", "--json"));
    for (String f : new String[] {"task", "optimizer", "lr", "steps", "trainLoss", "testLoss", "testAccuracy",
        "stepsPerSecond", "diverged"}) {
      assertTrue(j.has(f), "missing " + f + " in " + j);
    }
    assertEquals("quadratic-20", j.get("task").asText());
    assertEquals(80, j.get("steps").asInt());
    assertTrue(j.get("testAccuracy").isNull());
    assertFalse(j.get("diverged").asBoolean());
    assertTrue(j.get("trainLoss").asDouble() < 0.5 * Math.pow(0.9, 2 * 80) * 1.0001, j.toString());
  }

  @Test
  void aDivergingRunEndsWithDivergedTrueAndExitZero() throws IOException {
    JsonNode j = json(CliRun.of("optimize", "--task", example("quadratic.yaml").toString(), "--optimizer", "sgd",
        "--lr", "10", "--json"));
    assertTrue(j.get("diverged").asBoolean());
    assertTrue(j.get("steps").asInt() < 80);
  }

  @Test
  void aRunThatMakesNoProgressSaysSo() throws IOException {
    String task = example("quadratic.yaml").toString();
    JsonNode stalled = json(CliRun.of("optimize", "--task", task, "--optimizer", "sgd", "--lr", "1e-12", "--json"));
    assertTrue(stalled.get("regressed").asBoolean(), stalled.toString());
    assertFalse(stalled.get("diverged").asBoolean());
    JsonNode fine = json(CliRun.of("optimize", "--task", task, "--optimizer", "sgd", "--lr", "1.0", "--json"));
    assertFalse(fine.get("regressed").asBoolean(), fine.toString());
    assertTrue(fine.get("firstLoss").asDouble() > fine.get("trainLoss").asDouble());
    CliRun human = CliRun.of("optimize", "--task", task, "--optimizer", "sgd", "--lr", "1e-12");
    assertEquals(0, human.exitCode());
    assertTrue(human.err().contains("lost most of its progress"), human.err());
    assertFalse(CliRun.of("optimize", "--task", task, "--optimizer", "sgd", "--lr", "1.0").err()
        .contains("progress"));
  }

  @Test
  void tuneCachesTheLearningRateBySpecHash() throws IOException {
    Path cache = dir.resolve("cache");
    String[] args = {"optimize", "--task", example("quadratic.yaml").toString(), "--optimizer", "adam", "--tune",
        "--json", "--cache-dir", cache.toString()};
    JsonNode first = json(CliRun.of(args));
    assertTrue(first.get("tuned").asBoolean());
    try (var files = Files.list(cache.resolve("tuning"))) {
      assertEquals(1, files.count());
    }
    JsonNode second = json(CliRun.of(args));
    assertEquals(first.get("lr").asDouble(), second.get("lr").asDouble());
    assertEquals(first.get("tuningScores"), second.get("tuningScores"));
  }

  @Test
  void trainsOneTaskOfASuiteByName() throws IOException {
    JsonNode j = json(CliRun.of("optimize", "--task", example("suite.yaml").toString(), "--name", "booth",
        "--optimizer", "adam", "--lr", "0.1", "--json"));
    assertEquals("booth", j.get("task").asText());
  }

  @Test
  void badInputsGiveOneLineAndExitTwo() throws IOException {
    Path bad = dir.resolve("bad.yaml");
    Files.writeString(bad, "family: mlp\nbatchSize: -3\n");
    String[][] cases = {
        {"optimize", "--task", bad.toString(), "--optimizer", "adam"},
        {"optimize", "--task", example("quadratic.yaml").toString(), "--optimizer", "adamm"},
        {"optimize", "--task", example("quadratic.yaml").toString(), "--optimizer", "adam", "--lr", "-1"},
        {"optimize", "--task", example("quadratic.yaml").toString(), "--optimizer", "adam", "--lr", "1", "--tune"},
        {"optimize", "--task", example("suite.yaml").toString(), "--optimizer", "adam"},
        {"optimize", "--task", example("fashion-mlp.yaml").toString(), "--optimizer", "adam", "--data-dir",
            dir.resolve("nowhere").toString()},
        {"optimize", "--task", dir.resolve("missing.yaml").toString(), "--optimizer", "adam"},
        {"optimize", "--optimizer", "adam"},
    };
    for (String[] c : cases) {
      CliRun r = CliRun.of(c);
      assertEquals(2, r.exitCode(), String.join(" ", c) + " -> " + r.err());
      String msg = r.err().strip();
      assertFalse(msg.contains("\n"), "one line expected: " + msg);
      assertFalse(msg.contains("Exception"), "no stack trace expected: " + msg);
      assertTrue(msg.startsWith("metaopt: "), msg);
    }
  }

  @Test
  void everyCommandHasHelp() {
    for (String cmd : new String[] {"optimize", "bench"}) {
      CliRun r = CliRun.of(cmd, "--help");
      assertEquals(0, r.exitCode());
      assertTrue(r.out().contains("Usage: metaopt " + cmd), r.out());
    }
    assertTrue(CliRun.of("--help").out().contains("optimize"));
  }
}
