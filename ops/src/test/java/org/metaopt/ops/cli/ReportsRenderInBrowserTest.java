package org.metaopt.ops.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.metaopt.ops.report.HeadlessChromium;

/**
 * The reports of {@code train} and {@code evaluate}, rendered in headless chromium: every plot's image loaded, and
 * the screenshot is a real page, not a blank one.
 */
class ReportsRenderInBrowserTest {
  @TempDir Path dir;

  @Test
  void trainAndEvaluateReportsShowEveryPlotInHeadlessChromium() throws Exception {
    HeadlessChromium chromium = new HeadlessChromium(dir);
    Files.writeString(dir.resolve("suite.yaml"), "name: tiny\ntasks:\n"
        + "  - {name: quad, family: quadratic, dim: 8, steps: 60}\n"
        + "  - {name: mlp, family: mlp, dataset: synthetic, dim: 8, hidden: [8], trainExamples: 200, "
        + "testExamples: 100, steps: 40}\n");
    Files.writeString(dir.resolve("meta.yaml"), "architecture: mlp-lopt\ntasks: suite.yaml\nseed: 3\n"
        + "estimator: {kind: pes, sigma: 0.01, particlesPerWorker: 2}\n"
        + "truncation: {schedule: constant, trajectoryLength: 40, truncationLength: 10}\n"
        + "window: {segments: 2, maxWaitMillis: 5000, maxStaleness: 4}\n"
        + "heldOut: {suite: suite.yaml, everyVersions: 3}\n");
    Path run = dir.resolve("run");
    CliRun train = CliRun.of("train", "--config", dir.resolve("meta.yaml").toString(), "--out", run.toString(),
        "--meta-steps", "3");
    assertEquals(0, train.exitCode(), train.err());
    Path eval = dir.resolve("eval");
    CliRun evaluate = CliRun.of("evaluate", "--optimizer", run.resolve("final.json").toString(), "--suite",
        dir.resolve("suite.yaml").toString(), "--seeds", "1", "--baselines", "adam,sgd", "--out", eval.toString(),
        "--cache-dir", dir.resolve("cache").toString());
    assertEquals(0, evaluate.exitCode(), evaluate.err());

    // evaluate: one loss-curve figure per task plus the Hessian-trace bars
    chromium.assertAllFiguresLoaded(eval.resolve("report.html"), 3);
    BufferedImage shot = chromium.screenshot(eval.resolve("report.html"), dir.resolve("evaluate.png"));
    assertEquals(1200, shot.getWidth());
    assertTrue(HeadlessChromium.distinctColours(shot) > 50, "the screenshot looks blank");

    // train: meta-loss, meta-gradient norm, held-out score, segments/dropped, and one figure per recorded term
    // (finalLoss, meanLogLossRatio, finalLogLossRatio and meanClippedLoss are always measured; no flatness term is
    // weighted here)
    chromium.assertAllFiguresLoaded(run.resolve("report.html"), 8);
  }
}
