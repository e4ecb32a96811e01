package org.metaopt.metalearner;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.metaopt.core.lopt.LearnedOptimizer;
import org.metaopt.core.lopt.registry.LearnedOptimizers;
import org.metaopt.core.meta.MetaTrainConfigs;
import org.metaopt.core.spec.SpecLoader;
import org.metaopt.core.spec.TaskSpec;
import org.metaopt.core.version.OptimizerVersion;

/** What every learner (offline, Kafka, replay) derives from a meta-training config, in one place. */
public final class LearnerSetup {
  private LearnerSetup() {}

  /** The provenance every version of this config carries (time, segments and window filled per version). */
  public static OptimizerVersion.Provenance provenance(MetaTrainConfigs.Loaded config, String transport) {
    List<String> taskNames = SpecLoader.load(config.tasksFile()).tasks().stream().map(TaskSpec::name).toList();
    return new OptimizerVersion.Provenance(config.configHash(), config.estimator() + " sigma=" + config.sigma(),
        MetaLearner.weightsMap(config.weights()), taskNames, config.seed(), codeVersion(), Instant.now().toString(),
        0, transport);
  }

  /** Version 0: the architecture's initial θ from the config's seed (deterministic). */
  public static OptimizerVersion initialVersion(MetaTrainConfigs.Loaded config, OptimizerVersion.Provenance p) {
    LearnedOptimizer arch = LearnedOptimizers.create(config.architecture(), config.hyperparameters());
    return OptimizerVersion.of(0, -1, arch.architecture(), arch.hyperparameters(),
        arch.initialMetaParams(config.seed()), null, p);
  }

  /** The learner's window and update settings from the config. */
  public static MetaLearner.Settings settings(MetaTrainConfigs.Loaded config, OptimizerVersion.Provenance p) {
    return new MetaLearner.Settings(config.windowSegments(), Duration.ofMillis(config.windowWaitMillis()),
        config.maxStaleness(), config.weights(), config.metaLearningRate(), config.clipNorm(), p,
        config.metaWeightDecay(), config.averageOverFamilies());
  }

  /** The metaopt version of the running code ("dev" outside a packaged jar). */
  public static String codeVersion() {
    String v = LearnerSetup.class.getPackage().getImplementationVersion();
    return v != null ? v : "dev";
  }
}
