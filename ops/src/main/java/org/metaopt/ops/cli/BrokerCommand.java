package org.metaopt.ops.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.metaopt.stream.kafka.EmbeddedBroker;
import org.metaopt.stream.kafka.KafkaSettings;
import org.metaopt.stream.kafka.Topics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code metaopt broker}: a real single-node KRaft Kafka broker in this process. */
@Command(
    name = "broker",
    mixinStandardHelpOptions = true,
    description = "Run a real single-node Kafka broker (KRaft) on 127.0.0.1 in this process, with the pipeline's topics.",
    footer = {"", "Examples:",
        "  metaopt broker",
        "  metaopt broker --port 19092 --data-dir /var/tmp/metaopt-kafka",
        "",
        "The log folder is formatted on first start and reused afterwards (topics and offsets survive restarts).",
        "Stop with Ctrl-C or SIGTERM. Exit codes: 0 stopped, 2 bad option (e.g. port in use)."})
final class BrokerCommand implements Callable<Integer> {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec cli;

  @Option(names = "--port", defaultValue = "9092", paramLabel = "PORT", description = "Client port on 127.0.0.1 (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--data-dir", defaultValue = "runs/broker", paramLabel = "DIR", description = "Log folder (default: ${DEFAULT-VALUE}).")
  Path dataDir;

  @Option(names = "--topic-prefix", defaultValue = Topics.DEFAULT_PREFIX, paramLabel = "PREFIX", description = "Topic name prefix (default: ${DEFAULT-VALUE}).")
  String topicPrefix;

  @Override
  public Integer call() throws Exception {
    if (port < 1 || port > 65535) {
      throw new org.metaopt.core.UserError("--port " + port + " must be in 1..65535");
    }
    KafkaLogging.toFile(dataDir.resolve("broker.log"));
    java.io.PrintWriter out = cli.commandLine().getOut();
    EmbeddedBroker broker = EmbeddedBroker.start(dataDir, port);
    new Topics(topicPrefix).ensure(KafkaSettings.of(broker.bootstrapServers()).withTopics(new Topics(topicPrefix)),
        Duration.ofSeconds(30));
    out.printf("broker listening on %s (data in %s; topics %s); Ctrl-C to stop%n", broker.bootstrapServers(), dataDir,
        String.join(", ", new Topics(topicPrefix).all()));
    out.flush();
    CountDownLatch stopped = new CountDownLatch(1);
    ServiceLifecycle life = new ServiceLifecycle(stopped::countDown);
    stopped.await();
    broker.close();
    out.println("broker stopped");
    out.flush();
    life.finished();
    return 0;
  }
}
