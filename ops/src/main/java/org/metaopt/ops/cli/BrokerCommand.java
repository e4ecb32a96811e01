package org.metaopt.ops.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.stream.IntStream;
import org.metaopt.stream.kafka.BrokerSecurity;
import org.metaopt.stream.kafka.ClusterLayout;
import org.metaopt.stream.kafka.EmbeddedBroker;
import org.metaopt.stream.kafka.KafkaSettings;
import org.metaopt.stream.kafka.Topics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code metaopt broker}: a real single-node KRaft Kafka broker in this process, plaintext or secured. */
@Command(
    name = "broker",
    mixinStandardHelpOptions = true,
    description = "Run a real single-node Kafka broker (KRaft) on 127.0.0.1 in this process, with the pipeline's topics.",
    footer = {"", "Examples:",
        "  metaopt broker",
        "  metaopt broker --port 19092 --data-dir /var/tmp/metaopt-kafka",
        "  metaopt broker --secure runs/clients          # SASL/SCRAM-SHA-512 + ACLs; client files in runs/clients",
        "  metaopt producer --config META.yaml --kafka-config runs/clients/producer.properties",
        "  metaopt broker --secure runs/clients --kafka-config tls.properties   # SASL_SSL (ssl.keystore.* in the file)",
        "  metaopt broker --cluster 3 --port 19092      # 3 brokers (KRaft quorum of 3) in this process",
        "  metaopt broker --cluster 3 --node 2 --port 19092   # only node 2 of that cluster (one JVM per node)",
        "",
        "--cluster N: node i serves clients on PORT+i-1 and its controller on PORT+N+i-1, logs in DATA_DIR/node-i;",
        "topics get replication 3 and min.insync.replicas 2. Services take --bootstrap-servers of every node.",
        "The log folder is formatted on first start and reused afterwards (topics and offsets survive restarts).",
        "--secure: one principal per service (learner, producer, evaluator) and admin, each allowed only what it",
        "needs (docs/ARCHITECTURE.md, \"Secure broker\"); their passwords are kept in DIR and reused on restart.",
        "Stop with Ctrl-C or SIGTERM. Exit codes: 0 stopped, 2 bad option (e.g. port in use)."})
final class BrokerCommand implements Callable<Integer> {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec cli;

  @Option(names = "--port", defaultValue = "9092", paramLabel = "PORT", description = "Client port on 127.0.0.1 (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--data-dir", defaultValue = "runs/broker", paramLabel = "DIR", description = "Log folder (default: ${DEFAULT-VALUE}).")
  Path dataDir;

  @Option(names = "--topic-prefix", defaultValue = Topics.DEFAULT_PREFIX, paramLabel = "PREFIX", description = "Topic name prefix (default: ${DEFAULT-VALUE}).")
  String topicPrefix;

  @Option(names = "--secure", paramLabel = "DIR", description = "Require SASL/SCRAM-SHA-512 logins, authorize with ACLs (StandardAuthorizer) and write one client properties file per principal (learner, producer, evaluator, admin) into DIR.")
  Path secure;

  @Option(names = "--cluster", defaultValue = "1", paramLabel = "N", description = "Run a KRaft cluster of N brokers, each also a controller, on 127.0.0.1 (default: ${DEFAULT-VALUE}).")
  int cluster;

  @Option(names = "--node", paramLabel = "I", description = "With --cluster: run only node I (1..N) of the cluster in this process; start every node, one process each.")
  Integer node;

  @Option(names = "--kafka-config", paramLabel = "FILE", description = "Java properties file of extra broker settings applied over the built-in ones, e.g. ssl.keystore.location/ssl.keystore.password (with --secure the client listener then speaks SASL_SSL; ssl.truststore.* settings are copied into the client files).")
  Path kafkaConfig;

  @Override
  public Integer call() throws Exception {
    if (port < 1 || port > 65535) {
      throw new org.metaopt.core.UserError("--port " + port + " must be in 1..65535");
    }
    Map<String, String> extra = kafkaConfig != null ? KafkaSettings.readConfigFile(kafkaConfig) : Map.of();
    if (secure == null && extra.containsKey("ssl.keystore.location")) {
      throw new org.metaopt.core.UserError("--kafka-config " + kafkaConfig + " sets ssl.keystore.location: TLS is "
          + "offered with --secure DIR (SASL_SSL), not on the plaintext listener");
    }
    Topics topics = new Topics(topicPrefix);
    if (cluster != 1 || node != null) {
      return runCluster(extra, topics);
    }
    BrokerSecurity security = secure != null ? BrokerSecurity.open(secure, topics, extra) : null;
    KafkaLogging.toFile(dataDir.resolve("broker.log"));
    java.io.PrintWriter out = cli.commandLine().getOut();
    EmbeddedBroker broker = EmbeddedBroker.start(dataDir, port, extra, security);
    topics.ensure(broker.settings("admin", topics), Duration.ofSeconds(30));
    out.printf("broker listening on %s (data in %s; topics %s); Ctrl-C to stop%n", broker.bootstrapServers(), dataDir,
        String.join(", ", topics.all()));
    if (security != null) {
      out.printf("secure: %s with SCRAM-SHA-512, ACLs per principal; client settings: %s/{%s}.properties "
          + "(pass one with --kafka-config)%n", security.protocol(), secure, String.join(",",
          BrokerSecurity.PRINCIPALS));
    }
    out.flush();
    awaitStop(List.of(broker), out);
    return 0;
  }

  /** {@code --cluster N [--node I]}: the nodes on threads of their own (each waits for a majority of controllers). */
  private int runCluster(Map<String, String> extra, Topics topics) throws Exception {
    if (secure != null) {
      throw new org.metaopt.core.UserError("--secure runs a single broker; leave out --cluster and --node");
    }
    if (node != null && cluster == 1) {
      throw new org.metaopt.core.UserError("--node " + node + " needs --cluster N (N >= 2)");
    }
    ClusterLayout layout = new ClusterLayout(cluster, port, dataDir);
    List<Integer> nodes = node != null ? List.of(node) : IntStream.rangeClosed(1, cluster).boxed().toList();
    nodes.forEach(layout::clientPort); // a bad --node fails here, before anything starts
    KafkaLogging.toFile(dataDir.resolve(node != null ? "broker-" + node + ".log" : "broker.log"));
    java.io.PrintWriter out = cli.commandLine().getOut();
    java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newFixedThreadPool(nodes.size());
    List<CompletableFuture<EmbeddedBroker>> starting = nodes.stream()
        .map(i -> CompletableFuture.supplyAsync(() -> EmbeddedBroker.startNode(layout, i, extra), threads)).toList();
    List<EmbeddedBroker> brokers = new ArrayList<>();
    try {
      for (CompletableFuture<EmbeddedBroker> f : starting) {
        brokers.add(f.join());
      }
    } catch (java.util.concurrent.CompletionException e) {
      brokers.forEach(EmbeddedBroker::close);
      throw e.getCause() instanceof RuntimeException r ? r : e;
    } finally {
      threads.shutdown();
    }
    if (node == null) {
      topics.ensure(new KafkaSettings(layout.bootstrapServers(), Map.of(), topics), Duration.ofSeconds(60));
    }
    out.printf("%s listening on %s (cluster of %d: --bootstrap-servers %s; data in %s; replication %d, "
        + "min.insync.replicas %d)%s; Ctrl-C to stop%n", node == null ? "brokers" : "broker node " + node,
        String.join(",", brokers.stream().map(EmbeddedBroker::bootstrapServers).toList()), cluster,
        layout.bootstrapServers(), dataDir, layout.replication(), layout.minInsyncReplicas(),
        node == null ? "" : " (the first service creates the topics)");
    out.flush();
    awaitStop(brokers, out);
    return 0;
  }

  private static void awaitStop(List<EmbeddedBroker> brokers, java.io.PrintWriter out) throws InterruptedException {
    CountDownLatch stopped = new CountDownLatch(1);
    ServiceLifecycle life = new ServiceLifecycle(stopped::countDown);
    stopped.await();
    brokers.forEach(EmbeddedBroker::close);
    out.println("broker stopped");
    out.flush();
    life.finished();
  }
}
