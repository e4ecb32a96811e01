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

  /**
   * Version 0 of a warm-started run: {@code from}'s θ and meta-optimizer state (when it has one), renumbered 0 with no
   * parent, with the config's hyperparameters (the settings this run meta-trains with, e.g. celo2 at a constant η)
   * and this run's provenance (its window names the source). Fails with a {@link org.metaopt.core.UserError} when
   * {@code from} is another architecture or its θ has another length.
   */
  public static OptimizerVersion warmStartVersion(MetaTrainConfigs.Loaded config, OptimizerVersion.Provenance p,
      OptimizerVersion from) {
    LearnedOptimizer arch = LearnedOptimizers.create(config.architecture(), config.hyperparameters());
    if (!arch.architecture().equals(from.architecture()) || arch.numMetaParams() != from.theta().length) {
      throw new org.metaopt.core.UserError("--from: version " + from.version() + " is " + from.architecture() + " with "
          + from.theta().length + " meta-parameters; " + config.file() + " trains " + arch.architecture() + " with "
          + arch.numMetaParams() + ". Start from a version of that architecture and size, or use a config for "
          + from.architecture());
    }
    OptimizerVersion.Provenance prov = new OptimizerVersion.Provenance(p.configHash(), p.estimator(),
        p.objectiveWeights(), p.trainingTasks(), p.seed(), p.codeVersion(), p.createdAt(), 0,
        "warm start from version " + from.version() + " (theta " + from.thetaSha256().substring(0, 12) + ")");
    return OptimizerVersion.of(0, -1, arch.architecture(), arch.hyperparameters(), from.theta(), from.metaState(),
        prov);
  }

  /** The learner's window and update settings from the config. */
  public static MetaLearner.Settings settings(MetaTrainConfigs.Loaded config, OptimizerVersion.Provenance p) {
    return new MetaLearner.Settings(config.windowSegments(), Duration.ofMillis(config.windowWaitMillis()),
        config.maxStaleness(), config.weights(), config.metaLearningRate(), config.clipNorm(), p,
        config.metaWeightDecay(), config.averageOverFamilies(), config.metaSchedule());
  }

  /** The metaopt version of the running code ("dev" outside a packaged jar). */
  public static String codeVersion() {
    String v = LearnerSetup.class.getPackage().getImplementationVersion();
    return v != null ? v : "dev";
  }
}
