package org.metaopt.ops.cli;

import org.metaopt.evaluator.FinalHessianTrace;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** train → version files → optimize with a version file → evaluate, on a tiny data-free suite. */
class TrainEvaluateCommandTest {
  @TempDir Path dir;

  private Path write(String name, String text) throws Exception {
    Path p = dir.resolve(name);
    Files.writeString(p, text);
    return p;
  }

  @Test
  void trainsVersionsThatOptimizeAndEvaluateAccept() throws Exception {
    write("suite.yaml", "name: tiny\ntasks:\n  - {name: q, family: quadratic, dim: 8, steps: 40}\n"
        + "  - {name: b, family: booth, steps: 40}\n");
    Path config = write("meta.yaml", "architecture: mlp-lopt\ntasks: suite.yaml\nseed: 3\n"
        + "estimator: {kind: pes, sigma: 0.01, particlesPerWorker: 2}\n"
        + "truncation: {schedule: constant, trajectoryLength: 40, truncationLength: 10}\n"
        + "window: {segments: 2, maxWaitMillis: 5000, maxStaleness: 4}\n");
    Path out = dir.resolve("run");
    CliRun train = CliRun.of("train", "--config", config.toString(), "--out", out.toString(), "--meta-steps", "3");
    assertEquals(0, train.exitCode(), train.err());
    assertTrue(Files.exists(out.resolve("versions/v000003.json")));
    assertEquals(3, Files.readAllLines(out.resolve("metrics.jsonl")).size());

    CliRun opt = CliRun.of("optimize", "--task", dir.resolve("suite.yaml").toString(), "--name", "q", "--optimizer",
        out.resolve("final.json").toString(), "--json");
    assertEquals(0, opt.exitCode(), opt.err());
    JsonNode j = new ObjectMapper().readTree(opt.out());
    assertEquals("mlp-lopt", j.get("architecture").asText());
    assertEquals(3, j.get("version").asInt());
    assertFalse(j.get("diverged").asBoolean());

    CliRun eval = CliRun.of("evaluate", "--optimizer", out.resolve("final.json").toString(), "--suite",
        dir.resolve("suite.yaml").toString(), "--seeds", "1", "--baselines", "adam", "--out",
        dir.resolve("eval").toString(), "--cache-dir", dir.resolve("cache").toString());
    assertEquals(0, eval.exitCode(), eval.err());
    JsonNode e = new ObjectMapper().readTree(dir.resolve("eval/evaluation.json").toFile());
    assertEquals(2, e.get("summary").get("tasks").asInt());
    JsonNode curve = e.get("tasks").get(0).get("lossCurve");
    assertEquals(40, curve.size(), "one point per step of a 40-step task");
    assertTrue(curve.get(39).asDouble() < curve.get(0).asDouble(), "the loss curve goes down");
    assertTrue(Files.exists(dir.resolve("eval/report.html")));
    String md = Files.readString(dir.resolve("eval/evaluation.md"));
    assertTrue(md.contains("win rate vs the best tuned baseline") && md.contains("median speedup"), md);
    assertTrue(eval.out().contains("win rate vs tuned adam-cosine"), eval.out());
  }

  /** One evaluation path: the service scores a version exactly as {@code evaluate} does (same tuned rates, seeds, steps). */
  @Test
  void theEvaluatorServiceScoresAVersionAsEvaluateDoes() throws Exception {
    Path suiteFile = write("suite.yaml", "name: tiny\ntasks:\n  - {name: q, family: quadratic, dim: 8, steps: 40}\n"
        + "  - name: m\n    family: mlp\n    dataset: synthetic\n    dim: 6\n    classes: 3\n    hidden: [8]\n"
        + "    trainExamples: 200\n    testExamples: 200\n    batchSize: 16\n    steps: 60\n");
    Path version = Path.of("..", "pretrained", "mlp-lopt.json"); // reads the progress t / totalSteps
    Path cache = dir.resolve("cache");
    CliRun eval = CliRun.of("evaluate", "--optimizer", version.toString(), "--suite", suiteFile.toString(),
        "--seeds", "2", "--baselines", "adam,adam-cosine", "--out", dir.resolve("eval").toString(), "--cache-dir",
        cache.toString(), "--threads", "2");
    assertEquals(0, eval.exitCode(), eval.err());
    JsonNode rows = new ObjectMapper().readTree(dir.resolve("eval/evaluation.json").toFile()).get("tasks");
    // a second evaluation reads the baselines' scores from the cache: the same numbers
    CliRun again = CliRun.of("evaluate", "--optimizer", version.toString(), "--suite", suiteFile.toString(),
        "--seeds", "2", "--baselines", "adam,adam-cosine", "--out", dir.resolve("eval2").toString(), "--cache-dir",
        cache.toString(), "--threads", "1");
    assertEquals(0, again.exitCode(), again.err());
    assertEquals(rows, new ObjectMapper().readTree(dir.resolve("eval2/evaluation.json").toFile()).get("tasks"));
    assertTrue(Files.list(cache.resolve("scores")).count() >= 4, "2 tasks x 2 baselines cached");

    org.metaopt.core.spec.SuiteSpec suite = org.metaopt.core.spec.SpecLoader.load(suiteFile);
    org.metaopt.evaluator.SuiteEvaluator evaluator = new org.metaopt.evaluator.SuiteEvaluator(
        new org.metaopt.core.spec.TaskFactory(null), new org.metaopt.core.tuning.LearningRateTuner(
            new org.metaopt.core.tuning.TuningCache(cache)), FinalHessianTrace.DEFAULT);
    org.metaopt.evaluator.EvaluatorService service = new org.metaopt.evaluator.EvaluatorService(null, suite,
        evaluator, java.util.List.of("adam", "adam-cosine"), 1, 2, null, new org.metaopt.evaluator.EvaluatorService.Listener() {});
    java.util.List<org.metaopt.evaluator.TaskScore> scores =
        service.scores(org.metaopt.core.version.VersionFiles.read(version));
    assertEquals(rows.size(), scores.size());
    for (int i = 0; i < scores.size(); i++) {
      org.metaopt.evaluator.TaskScore s = scores.get(i);
      JsonNode r = rows.get(i);
      String what = s.task() + " " + s.optimizer();
      assertEquals(r.get("task").asText() + " " + r.get("optimizer").asText(), what);
      assertEquals(r.get("trainLoss").asDouble(), s.trainLoss(), 0.0, what);
      assertEquals(r.get("speedupVsAdam").asDouble(), s.speedupVsAdam(), 0.0, what);
      assertEquals(r.get("lossCurve").get(r.get("lossCurve").size() - 1).floatValue(),
          s.lossCurve()[s.lossCurve().length - 1], 0f, what);
    }
  }

  @Test
  void badMetaConfigsAndVersionFilesGiveOneLineAndExitTwo() throws Exception {
    write("suite.yaml", "tasks:\n  - {family: booth}\n");
    Path badKind = write("a.yaml", "architecture: mlp-lopt\ntasks: suite.yaml\nestimator: {kind: magic}\n");
    Path badKey = write("b.yaml", "architecture: mlp-lopt\ntasks: suite.yaml\nwindow: {segmnts: 3}\n");
    Path badArch = write("c.yaml", "architecture: nope\ntasks: suite.yaml\n");
    Path smallMax = write("d.yaml", "architecture: mlp-lopt\ntasks: suite.yaml\nwindow: {segments: 8, maxSegments: 4}\n");
    Path corrupt = write("v.json", "{\"format\": \"metaopt-optimizer-version\", \"theta\": \"!!\"}");
    String[][] cases = {
        {"train", "--config", badKind.toString(), "--out", dir.resolve("o1").toString(), "--meta-steps", "1"},
        {"train", "--config", badKey.toString(), "--out", dir.resolve("o2").toString(), "--meta-steps", "1"},
        {"train", "--config", badArch.toString(), "--out", dir.resolve("o3").toString(), "--meta-steps", "1"},
        {"train", "--config", smallMax.toString(), "--out", dir.resolve("o4").toString(), "--meta-steps", "1"},
        {"optimize", "--task", dir.resolve("suite.yaml").toString(), "--optimizer", corrupt.toString()},
    };
    for (String[] c : cases) {
      CliRun r = CliRun.of(c);
      assertEquals(2, r.exitCode(), String.join(" ", c) + " -> " + r.err());
      String msg = r.err().strip();
      assertFalse(msg.contains("\n"), "one line expected: " + msg);
      assertTrue(msg.startsWith("metaopt: "), msg);
    }
    String err = CliRun.of("train", "--config", smallMax.toString(), "--out", dir.resolve("o5").toString(),
        "--meta-steps", "1").err();
    assertTrue(err.contains("window.maxSegments = 4 is not allowed; expected an integer in [8, 100000]"), err);
  }
}
