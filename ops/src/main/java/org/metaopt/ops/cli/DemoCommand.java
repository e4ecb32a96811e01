package org.metaopt.ops.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.Callable;
import org.metaopt.core.UserError;
import org.metaopt.ops.pipeline.Demo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code metaopt demo}: the main job — the whole pipeline in one process. */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = "Run the whole pipeline in one process: an embedded Kafka broker, producers, the meta-learner and the evaluator on the default tasks; online meta-learning that starts from the shipped celo2.",
    footer = {"", "Examples:",
        "  metaopt demo --minutes 5",
        "  metaopt demo --minutes 30 --workers 2 --out runs/demo-long",
        "  metaopt demo --fresh                    # celo2 from its θ0",
        "  metaopt demo --from runs/demo-long/final.json",
        "",
        "Uses Fashion-MNIST tasks when the data set is installed (sudo apt-get install dataset-fashion-mnist),",
        "synthetic tasks otherwise (and says so). Ctrl-C stops gracefully. Writes DIR/versions/, DIR/metrics.jsonl,",
        "DIR/evaluations.jsonl, DIR/best.json, DIR/final.json and DIR/summary.md/.json (first, last and best version",
        "on the held-out tasks vs tuned baselines, and the last vs the first with a 95%% interval). Serves Prometheus metrics of all three services on one endpoint,",
        "http://127.0.0.1:9464/metrics (ops/monitoring/ has the scrape config and a Grafana dashboard).",
        "Exit codes: 0 done, 1 run failed, 2 bad option."})
final class DemoCommand implements Callable<Integer> {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec cli;

  @Option(names = "--minutes", defaultValue = "5", paramLabel = "N", description = "How long to run (default: ${DEFAULT-VALUE}).")
  double minutes;

  @Option(names = "--workers", defaultValue = "1", paramLabel = "W", description = "Producer worker threads (default: ${DEFAULT-VALUE}).")
  int workers;

  @Option(names = "--evaluate-every", defaultValue = "100", paramLabel = "K", description = "Evaluate every K-th version (default: ${DEFAULT-VALUE}).")
  int every;

  @Option(names = "--from", paramLabel = "VERSION_FILE", description = "Warm start from this version file (celo2 or mlp-lopt; default: the shipped celo2, pretrained/celo2.json).")
  Path from;

  @Option(names = "--fresh", description = "Start from celo2's θ0 instead of the shipped celo2.")
  boolean fresh;

  @Option(names = "--out", paramLabel = "DIR", description = "Run directory (default: runs/demo-TIMESTAMP).")
  Path out;

  @Option(names = "--data-dir", paramLabel = "DIR", description = "Fashion-MNIST folder.")
  Path dataDir;

  @Option(names = "--cache-dir", paramLabel = "DIR", description = "Tuning cache root.")
  Path cacheDir;

  @picocli.CommandLine.Mixin MetricsOptions metrics;

  @Override
  public Integer call() throws Exception {
    if (!(minutes > 0) || minutes > 7 * 24 * 60) {
      throw new UserError("--minutes " + minutes + " must be > 0 (and at most a week)");
    }
    if (from != null && fresh) {
      throw new org.metaopt.core.UserError("demo: give --from FILE or --fresh, not both");
    }
    org.metaopt.core.version.OptimizerVersion start = from != null
        ? org.metaopt.core.version.VersionFiles.read(from) : null; // a bad file fails here, before anything starts
    Path dir = out != null ? out
        : Path.of("runs", "demo-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
    java.io.PrintWriter o = cli.commandLine().getOut();
    Demo demo = new Demo(dir, Duration.ofMillis((long) (minutes * 60_000)), workers, every, dataDir, cacheDir, o);
    if (fresh) {
      demo.startFrom(null, true, "θ0 (--fresh)");
    } else if (from != null) {
      demo.startFrom(start, false, from.toString());
    } else {
      demo.startFrom(org.metaopt.ops.pipeline.DemoConfigs.shippedCelo2(), true,
          "the shipped celo2 (pretrained/celo2.json)");
    }
    KafkaLogging.toFile(dir.resolve("logs").resolve("kafka.log"));
    o.printf("metaopt demo: %s for %.3g minutes; run directory %s%n", "broker + producer + learner + evaluator",
        minutes, dir);
    o.flush();
    org.metaopt.ops.metrics.MetricsServer server = metrics.start(9464, "demo", o);
    if (server != null) {
      demo.metrics(server.registry());
    }
    ServiceLifecycle life = new ServiceLifecycle(demo::stop);
    try {
      Demo.Result r = demo.run();
      o.println();
      o.print(java.nio.file.Files.readString(r.summary()));
      o.printf("%nrun directory: %s%n", r.runDir());
      o.flush();
    } finally {
      if (server != null) {
        server.close();
      }
      life.finished();
    }
    return 0;
  }
}
