package org.metaopt.ops.cli;

import org.metaopt.evaluator.FinalHessianTrace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import org.metaopt.core.optim.BaselineOptimizers;
import org.metaopt.core.spec.SpecLoader;
import org.metaopt.core.spec.TaskFactory;
import org.metaopt.core.tuning.LearningRateTuner;
import org.metaopt.core.tuning.TuningCache;
import org.metaopt.stream.wire.EvaluationRecord;
import org.metaopt.evaluator.EvaluatorService;
import org.metaopt.evaluator.SuiteEvaluator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code metaopt evaluator}: the evaluator service. */
@Command(
    name = "evaluator",
    mixinStandardHelpOptions = true,
    description = "Run the evaluator: score every k-th published version on a held-out suite against tuned baselines and publish the evaluations.",
    footer = {"", "Examples:",
        "  metaopt evaluator --suite docs/examples/held-out-suite.yaml --every 50 --seeds 2 --out runs/evaluator",
        "  metaopt evaluator --suite SUITE.yaml --bootstrap-servers kafka1:9092 --baselines adam,rmsprop",
        "",
        "Keeps the best version so far in DIR/best.json. A restarted evaluator reads what it scored from the",
        "evaluations topic: it scores no version twice and keeps the better best.json. Stop with Ctrl-C or",
        "SIGTERM: the newest version is evaluated before exit. One that cannot read the versions topic for",
        "--follower-timeout seconds stops with a message. Prometheus metrics on http://127.0.0.1:9466/metrics.",
        "Exit codes: 0 stopped, 2 bad input."})
final class EvaluatorCommand implements Callable<Integer> {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec cli;

  @Mixin KafkaOptions kafka;

  @Mixin MetricsOptions metrics;

  @Option(names = "--suite", required = true, paramLabel = "SUITE", description = "Held-out task suite.")
  Path suite;

  @Option(names = "--every", defaultValue = "20", paramLabel = "K", description = "Evaluate every K-th version (default: ${DEFAULT-VALUE}).")
  int every;

  @Option(names = "--seeds", defaultValue = "2", paramLabel = "N", description = "Evaluation seeds (default: ${DEFAULT-VALUE}).")
  int seeds;

  @Option(names = "--baselines", split = ",", defaultValue = "adam,adam-cosine", paramLabel = "NAMES", description = "Baselines (default: ${DEFAULT-VALUE}; adam always included).")
  List<String> baselines;

  @Option(names = "--out", defaultValue = "runs/evaluator", paramLabel = "DIR", description = "Folder for best.json (default: ${DEFAULT-VALUE}).")
  Path out;

  @Option(names = "--data-dir", paramLabel = "DIR", description = "Fashion-MNIST folder.")
  Path dataDir;

  @Option(names = "--cache-dir", paramLabel = "DIR", description = "Tuning cache root.")
  Path cacheDir;

  @Option(names = "--follower-timeout", defaultValue = "120", paramLabel = "SECONDS", description = "Stop with a message when the versions topic cannot be read for this long; failures before that are retried (default: ${DEFAULT-VALUE}).")
  long followerTimeout;

  @Override
  public Integer call() throws Exception {
    kafka.logTo("evaluator.log");
    baselines.forEach(BaselineOptimizers::requireKnown);
    if (followerTimeout < 1) {
      throw new org.metaopt.core.UserError("--follower-timeout " + followerTimeout + " must be >= 1 second");
    }
    var s = SpecLoader.load(suite);
    var settings = kafka.settings();
    settings.topics().ensure(settings, Duration.ofSeconds(15));
    Files.createDirectories(out);
    java.io.PrintWriter err = cli.commandLine().getErr();
    org.metaopt.ops.metrics.MetricsServer server = metrics.start(9466, "evaluator", err);
    SuiteEvaluator ev = new SuiteEvaluator(new TaskFactory(dataDir), new LearningRateTuner(
        new TuningCache(cacheDir != null ? cacheDir : TuningCache.defaultRoot())), FinalHessianTrace.DEFAULT);
    EvaluatorService service = new EvaluatorService(settings, s, ev, baselines, every, seeds, out,
        new EvaluatorService.Listener() {
          @Override
          public void onBaselinesReady(int tasks) {
            err.printf("evaluator: baselines tuned and scored on %d tasks%n", tasks);
            err.flush();
          }

          @Override
          public void onRestored(int evaluations, long lastScored, EvaluationRecord best) {
            err.printf("evaluator: %d earlier evaluations on the topic; last scored version %d, best so far version "
                + "%d (kept in %s)%n", evaluations, lastScored, best.version(), out.resolve("best.json"));
            err.flush();
          }

          @Override
          public void onWaiting(String what) {
            err.println("evaluator: " + what);
            err.flush();
          }

          @Override
          public void onEvaluation(EvaluationRecord r, boolean newBest) {
            err.printf("evaluator: version %d: win rate vs tuned Adam %.2f, geometric-mean loss ratio %.3g%s%n",
                r.version(), r.winRateTrainLoss(), r.geometricMeanLossRatio(), newBest ? "  (best so far)" : "");
            err.flush();
          }
        });
    service.followWith(org.metaopt.stream.kafka.VersionFollower.Options.defaults()
        .withMaxDowntime(Duration.ofSeconds(followerTimeout)));
    if (server != null) {
      service.metrics(server.registry());
    }
    ServiceLifecycle life = new ServiceLifecycle(service::close);
    try {
      service.run();
    } finally {
      if (server != null) {
        server.close();
      }
      life.finished();
    }
    return 0;
  }
}
