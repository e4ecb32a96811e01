package org.metaopt.ops.bench;

import java.nio.file.Path;
import java.util.Map;
import org.metaopt.core.lopt.LearnedOptimizer;
import org.metaopt.core.lopt.LearnedOptimizers;
import org.metaopt.core.optim.BaselineOptimizers;
import org.metaopt.core.optim.Optimizer;
import org.metaopt.core.tensor.ParamLayout;
import org.metaopt.core.version.OptimizerVersion;
import org.metaopt.core.version.VersionFiles;

/**
 * The optimizer a benchmark parameter names: {@code adam} (lr 1e-3); a version file ending in {@code .json}
 * (e.g. the shipped {@code pretrained/mlp-lopt-h4.json}, resolved from the working directory: run benchmarks from
 * the repository root), with its architecture, hyperparameters and θ; or a bare architecture name at its default
 * hyperparameters and seed-{@code seed} initial θ.
 */
final class BenchOptimizers {
  private BenchOptimizers() {}

  static Optimizer create(String name, ParamLayout layout, int totalSteps, long seed) {
    if (name.equals("adam")) {
      return BaselineOptimizers.create("adam", 1e-3, layout);
    }
    if (name.endsWith(".json")) {
      OptimizerVersion v = VersionFiles.read(Path.of(name));
      return LearnedOptimizers.create(v.architecture(), v.hyperparameters()).create(v.theta(), layout, totalSteps);
    }
    LearnedOptimizer arch = LearnedOptimizers.create(name, Map.of());
    return arch.create(arch.initialMetaParams(seed), layout, totalSteps);
  }
}
