package org.metaopt.ops.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.metaopt.core.meta.MetaTrainConfigs;
import org.metaopt.core.version.OptimizerVersion;
import org.metaopt.core.version.VersionFiles;
import org.metaopt.metalearner.KafkaLearner;
import org.metaopt.metalearner.MetaLearner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code metaopt learner}: the meta-learner service. */
@Command(
    name = "learner",
    mixinStandardHelpOptions = true,
    description = "Run the meta-learner: windows of segments -> meta-gradient -> new version, each committed with its offsets in one Kafka transaction.",
    footer = {"", "Examples:",
        "  metaopt learner --config docs/examples/meta-mlp-lopt.yaml",
        "  metaopt learner --config META.yaml --bootstrap-servers kafka1:9092 --out runs/learner",
        "",
        "A second learner with the same --topic-prefix waits as a standby and takes over when the active one dies.",
        "On restart it resumes from the last committed version and its meta-optimizer state.",
        "Prometheus metrics (with the consumer lag) on http://127.0.0.1:9465/metrics by default.",
        "Stop with Ctrl-C or SIGTERM. Exit codes: 0 stopped, 2 bad input."})
final class LearnerCommand implements Callable<Integer> {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec cli;

  @Mixin KafkaOptions kafka;

  @Mixin MetricsOptions metrics;

  @Option(names = "--config", required = true, paramLabel = "META.yaml", description = "Meta-training config (objective, meta-optimizer, window).")
  Path config;

  @Option(names = "--out", paramLabel = "DIR", description = "Also write every committed version to DIR/versions/.")
  Path out;

  @Option(names = "--from", paramLabel = "VERSION_FILE", description = "Warm start when the versions topic is empty: version 0 is this file's θ (and meta-optimizer state when it has one) with the config's hyperparameters, e.g. pretrained/celo2.json. A topic that holds versions is continued.")
  Path from;

  @Override
  public Integer call() throws Exception {
    kafka.logTo("learner.log");
    MetaTrainConfigs.Loaded c = MetaTrainConfigs.load(config);
    OptimizerVersion warm = from != null ? VersionFiles.read(from) : null; // a bad file fails before connecting
    var settings = kafka.settings();
    settings.topics().ensure(settings, Duration.ofSeconds(15));
    java.io.PrintWriter err = cli.commandLine().getErr();
    org.metaopt.ops.metrics.MetricsServer server = metrics.start(9465, "learner", err);
    KafkaLearner learner = new KafkaLearner(settings, c, new KafkaLearner.Listener() {
      @Override
      public void onActive(OptimizerVersion from) {
        err.printf("learner: active from version %d%n", from.version());
        err.flush();
      }

      @Override
      public void onVersion(OptimizerVersion v, MetaLearner.StepReport r) {
        if (out != null) {
          VersionFiles.write(v, out.resolve("versions").resolve(String.format("v%06d.json", v.version())));
        }
        err.printf("learner: version %d  meta-loss %.4f  |g| %.3g  %d segments  %s%n", v.version(), r.metaLoss(),
            r.gradientNorm(), r.segments(), v.provenance().window());
        err.flush();
      }

      @Override
      public void onDeadLetter(String reason) {
        err.println("learner: dead letter: " + reason);
        err.flush();
      }

      @Override
      public void onRestart(String reason) {
        err.println("learner: restarting the session: " + reason);
        err.flush();
      }
    });
    if (warm != null) {
      learner.warmStart(warm);
    }
    org.metaopt.metalearner.LearnerLag lag = new org.metaopt.metalearner.LearnerLag(settings, Duration.ofSeconds(5));
    if (server != null) {
      learner.metrics(server.registry());
      lag.bindTo(server.registry());
    }
    ServiceLifecycle life = new ServiceLifecycle(learner::close);
    err.printf("learner: waiting for the partition of %s (standby while another learner holds it)%n",
        settings.topics().trajectories());
    err.flush();
    try {
      learner.run();
      if (learner.failure() != null) {
        throw learner.failure();
      }
    } finally {
      lag.close();
      if (server != null) {
        server.close();
      }
      life.finished();
    }
    return 0;
  }
}
