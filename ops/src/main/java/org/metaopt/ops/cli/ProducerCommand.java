package org.metaopt.ops.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.metaopt.core.UserError;
import org.metaopt.core.meta.MetaTrainConfigs;
import org.metaopt.core.spec.TaskFactory;
import org.metaopt.producer.ProducerService;
import org.metaopt.stream.kafka.VersionFollower;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code metaopt producer}: workers unrolling tasks with the latest version, streaming segments to Kafka. */
@Command(
    name = "producer",
    mixinStandardHelpOptions = true,
    description = "Run producer workers: unroll the config's tasks with the latest optimizer version and stream trajectory segments to Kafka.",
    footer = {"", "Examples:",
        "  metaopt producer --config docs/examples/meta-mlp-lopt.yaml --workers 2",
        "  metaopt producer --config META.yaml --bootstrap-servers kafka1:9092 --kafka-config client.properties --instance 3",
        "  metaopt producer --config META.yaml --raw-gradients 0.05   # 5%% of segments carry raw per-step gradients",
        "",
        "Each producer instance needs its own --instance number (particle ids and seeds derive from it).",
        "Prometheus metrics on http://127.0.0.1:9464/metrics by default (a free port when 9464 is taken; give",
        "each producer on one host its own --metrics-port for a stable scrape target).",
        "A producer that cannot read the versions topic for --follower-timeout seconds stops with a message.",
        "Stop with Ctrl-C or SIGTERM: segments in flight get up to 30 s to be acknowledged (said when the broker",
        "is slow to answer). Exit codes: 0 stopped, 2 bad input or a broker that stayed away."})
final class ProducerCommand implements Callable<Integer> {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec cli;

  @Mixin KafkaOptions kafka;

  @Mixin MetricsOptions metrics;

  @Option(names = "--config", required = true, paramLabel = "META.yaml", description = "Meta-training config (tasks, estimator, truncation).")
  Path config;

  @Option(names = "--workers", defaultValue = "1", paramLabel = "W", description = "Worker threads (default: ${DEFAULT-VALUE}).")
  int workers;

  @Option(names = "--instance", defaultValue = "0", paramLabel = "N", description = "This producer's number, unique per producer (default: ${DEFAULT-VALUE}).")
  int instance;

  @Option(names = "--raw-gradients", defaultValue = "0", paramLabel = "FRACTION", description = "Fraction of segments that carry raw per-step gradients (default: ${DEFAULT-VALUE}).")
  double rawGradients;

  @Option(names = "--data-dir", paramLabel = "DIR", description = "Fashion-MNIST folder.")
  Path dataDir;

  @Option(names = "--follower-timeout", defaultValue = "120", paramLabel = "SECONDS", description = "Stop with a message when the versions topic cannot be read for this long; failures before that are retried (default: ${DEFAULT-VALUE}).")
  long followerTimeout;

  @Override
  public Integer call() throws Exception {
    kafka.logTo("producer-" + instance + ".log");
    if (instance < 0) {
      throw new UserError("--instance " + instance + " must be >= 0");
    }
    if (followerTimeout < 1) {
      throw new UserError("--follower-timeout " + followerTimeout + " must be >= 1 second");
    }
    MetaTrainConfigs.Loaded c = MetaTrainConfigs.load(config);
    var settings = kafka.settings();
    settings.topics().ensure(settings, Duration.ofSeconds(15));
    java.io.PrintWriter err = cli.commandLine().getErr();
    org.metaopt.ops.metrics.MetricsServer server = metrics.start(9464, "producer " + instance, err);
    ProducerService service = new ProducerService(settings, c, new TaskFactory(dataDir),
        new ProducerService.Options(workers, instance, rawGradients, 64, 32).withFollower(
            VersionFollower.Options.defaults().withMaxDowntime(Duration.ofSeconds(followerTimeout))));
    if (server != null) {
      service.metrics(server.registry());
    }
    var running = new java.util.concurrent.atomic.AtomicBoolean(true);
    ServiceLifecycle life = new ServiceLifecycle(() -> running.set(false));
    err.printf("producer %d: waiting for a version on %s ...%n", instance, settings.topics().versions());
    err.flush();
    long last = 0;
    try {
      while (running.get() && !service.start(Duration.ofSeconds(30))) {
        err.println("producer: still no version published; is a learner running?");
        err.flush();
      }
      while (running.get()) {
        Thread.sleep(1000);
        if (service.failure() != null) {
          throw service.failure();
        }
        long now = System.nanoTime();
        if (now - last > 10_000_000_000L) {
          last = now;
          err.printf("producer %d: version %d, %d segments sent (%d queued), %.0f optimizee steps/s, %d diverged%n",
              instance, service.latestVersion().version(), service.segmentsSent(), service.sink().queued(),
              service.innerSteps() / service.seconds(), service.divergedSegments());
          err.flush();
        }
      }
    } finally {
      service.close(m -> {
        err.printf("producer %d: %s%n", instance, m);
        err.flush();
      });
      if (server != null) {
        server.close();
      }
      life.finished();
    }
    return 0;
  }
}
