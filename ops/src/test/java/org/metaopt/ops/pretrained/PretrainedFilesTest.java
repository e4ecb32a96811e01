package org.metaopt.ops.pretrained;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.metaopt.core.lopt.registry.LearnedOptimizers;
import org.metaopt.core.lopt.LearnedUpdate;
import org.metaopt.core.tensor.ParamLayout;
import org.metaopt.core.version.OptimizerVersion;
import org.metaopt.core.version.VersionFiles;

/**
 * Every shipped {@code pretrained/*.json} still loads into the current code (a θ layout change would break it)
 * and optimizes: 200 steps on an ill-conditioned quadratic spread over two tensors cut the loss by 100x or more
 * (2,000 steps for celo2, whose every step has a fixed RMS η per tensor, so it needs more steps to travel as far).
 */
class PretrainedFilesTest {
  static final Path DIR = Path.of("..", "pretrained");

  @Test
  void everyShippedVersionLoadsAndOptimizesAQuadratic() throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.list(DIR)) {
      files = s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
    }
    assertEquals(List.of("celo2.json", "hierarchical-rnn-w.json", "hierarchical-rnn.json", "mlp-lopt-h4.json",
        "mlp-lopt-h4w.json", "mlp-lopt.json"),
        files.stream().map(p -> p.getFileName().toString()).toList());
    ParamLayout layout = ParamLayout.builder().add("w", 8, 16).add("b", 16).build();
    int n = layout.size();
    for (Path file : files) {
      OptimizerVersion v = VersionFiles.read(file);
      int steps = v.architecture().equals("celo2") ? 2000 : 200;
      LearnedUpdate opt = LearnedOptimizers.create(v.architecture(), v.hyperparameters()).create(v.theta(), layout,
          steps);
      float[] x = new float[n];
      float[] g = new float[n];
      for (int i = 0; i < n; i++) {
        x[i] = (float) Math.sin(i + 1);
      }
      double first = loss(x, g);
      for (int t = 0; t < steps; t++) {
        loss(x, g); // writes the gradient at x
        opt.step(x, g);
      }
      double last = loss(x, g);
      assertTrue(Double.isFinite(last) && last < first / 100, file + ": loss " + first + " -> " + last);
    }
  }

  /** f = 0.5 sum c_i x_i^2 with c_i from 0.1 to 10; writes the gradient. */
  private static double loss(float[] x, float[] g) {
    double f = 0;
    for (int i = 0; i < x.length; i++) {
      double c = Math.pow(100, i / (double) (x.length - 1)) / 10;
      f += 0.5 * c * x[i] * x[i];
      g[i] = (float) (c * x[i]);
    }
    return f;
  }
}
