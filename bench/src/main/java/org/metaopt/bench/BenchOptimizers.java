package org.metaopt.bench;

import java.nio.file.Path;
import java.util.Map;
import org.metaopt.core.lopt.LearnedOptimizer;
import org.metaopt.core.lopt.registry.LearnedOptimizers;
import org.metaopt.core.optim.BaselineOptimizers;
import org.metaopt.core.optim.Optimizer;
import org.metaopt.core.tensor.ParamLayout;
import org.metaopt.core.version.OptimizerVersion;
import org.metaopt.core.version.VersionFiles;

/**
 * The optimizer a benchmark parameter names: {@code adam} (lr 1e-3); a version file ending in {@code .json}
 * (e.g. the shipped {@code pretrained/mlp-lopt-h4.json}, resolved from the working directory: run benchmarks from
 * the repository root), with its architecture, hyperparameters and θ; or an architecture name with its
 * seed-{@code seed} initial θ, at its default hyperparameters or at those given after colons
 * ({@code hierarchical-rnn:paramUnits=4:attention=true}).
 */
final class BenchOptimizers {
  private BenchOptimizers() {}

  static Optimizer create(String name, ParamLayout layout, int totalSteps, long seed) {
    if (BaselineOptimizers.isKnown(name)) { // adam, muon, adam-cosine, ... at their default rates
      return BaselineOptimizers.create(name, BaselineOptimizers.defaultLearningRate(name), layout, totalSteps);
    }
    if (name.endsWith(".json")) {
      OptimizerVersion v = VersionFiles.read(Path.of(name));
      return LearnedOptimizers.create(v.architecture(), v.hyperparameters()).create(v.theta(), layout, totalSteps);
    }
    String[] parts = name.split(":");
    Map<String, Object> hyper = new java.util.LinkedHashMap<>();
    for (int i = 1; i < parts.length; i++) {
      String[] kv = parts[i].split("=", 2);
      if (kv.length != 2) {
        throw new IllegalArgumentException("optimizer '" + name + "': expected key=value after ':', got '" + parts[i] + "'");
      }
      hyper.put(kv[0], kv[1]);
    }
    LearnedOptimizer arch = LearnedOptimizers.create(parts[0], hyper);
    return arch.create(arch.initialMetaParams(seed), layout, totalSteps);
  }
}
