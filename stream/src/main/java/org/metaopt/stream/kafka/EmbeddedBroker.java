package org.metaopt.stream.kafka;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;
import org.metaopt.core.UserError;

/**
 * A real single-node Kafka broker (KRaft, broker and controller in one node) running inside this JVM from the
 * registry jars, listening on 127.0.0.1. The log folder is formatted on first use and reused afterwards, so a
 * broker restarted on the same folder keeps its topics, offsets and transactions.
 *
 * <p>Settings follow PLATFORM.md: internal topics with replication 1, one offsets partition, no initial rebalance
 * delay, a 4 MiB log-cleaner buffer (the default takes 128 MiB of heap). Start one per test class, not per test.
 * With a {@link BrokerSecurity} it is a secure broker: SASL/SCRAM-SHA-512 clients, the StandardAuthorizer and one
 * principal per service ({@link BrokerAcls}), their client files written when it has started. {@link #startNode}
 * starts one node of a multi-broker {@link ClusterLayout} instead.
 */
public final class EmbeddedBroker implements AutoCloseable {
  private final Path dataDir;
  private final int port;
  private final KafkaRaftServer server;
  private final BrokerSecurity security;
  private boolean closed;

  private EmbeddedBroker(Path dataDir, int port, KafkaRaftServer server, BrokerSecurity security) {
    this.dataDir = dataDir;
    this.port = port;
    this.server = server;
    this.security = security;
  }

  /**
   * Formats {@code dataDir} when needed and starts a plaintext broker.
   *
   * @param port the client port on 127.0.0.1, or 0 for any free port
   */
  public static EmbeddedBroker start(Path dataDir, int port) {
    return start(dataDir, port, Map.of(), null);
  }

  /**
   * Formats {@code dataDir} when needed and starts the broker with {@code extra} server properties applied over its
   * own (e.g. {@code ssl.keystore.*}), secured by {@code security} unless that is null. A secure broker has set up
   * its principals, ACLs and client files when this returns.
   *
   * @param port the client port on 127.0.0.1, or 0 for any free port
   */
  public static EmbeddedBroker start(Path dataDir, int port, Map<String, String> extra, BrokerSecurity security) {
    int clientPort = port == 0 ? freePort() : port;
    int controllerPort = freePort();
    if (port != 0) {
      requireFree(port);
    }
    Node node = new Node(1, "1@127.0.0.1:" + controllerPort, clientPort, controllerPort, 1, 1,
        Uuid.randomUuid().toString());
    int internalPort = security == null ? -1 : freePort();
    Path logDir = logDir(dataDir);
    Properties p = serverProperties(logDir, node, internalPort, security);
    p.putAll(extra);
    EmbeddedBroker broker = new EmbeddedBroker(dataDir, clientPort, run(p, logDir, node), security);
    if (security != null) {
      try {
        BrokerAcls.provision(security, "127.0.0.1:" + internalPort, broker.bootstrapServers(), Duration.ofSeconds(60));
        security.writeClientFiles(broker.bootstrapServers());
      } catch (RuntimeException e) {
        broker.close();
        throw e;
      }
    }
    return broker;
  }

  /**
   * Formats node {@code node}'s folder of {@code layout} when needed and starts that node (broker and controller).
   * Returns once the node has joined the cluster's metadata quorum: start the nodes of one process on threads of
   * their own, since a node waits for a majority of the controllers.
   */
  public static EmbeddedBroker startNode(ClusterLayout layout, int node, Map<String, String> extra) {
    requireFree(layout.clientPort(node));
    requireFree(layout.controllerPort(node));
    Node n = new Node(node, layout.voters(), layout.clientPort(node), layout.controllerPort(node),
        layout.replication(), layout.minInsyncReplicas(), layout.clusterId());
    Path logDir = logDir(layout.nodeDir(node));
    Properties p = serverProperties(logDir, n, -1, null);
    p.putAll(extra);
    return new EmbeddedBroker(layout.nodeDir(node), n.clientPort(), run(p, logDir, n), null);
  }

  /** One node: its id, the quorum, its ports, the replication of internal topics and the cluster id. */
  private record Node(int id, String voters, int clientPort, int controllerPort, int replication, int minInsync,
      String clusterId) {}

  private static Path logDir(Path dataDir) {
    Path logDir = dataDir.toAbsolutePath().resolve("kraft-logs");
    try {
      Files.createDirectories(logDir);
    } catch (IOException e) {
      throw new UserError("cannot create the broker's data folder " + logDir + ": " + e.getMessage()
          + " (choose another with --data-dir)");
    }
    return logDir;
  }

  /** Formats {@code logDir} for {@code node} unless it already is, and starts the server. */
  private static KafkaRaftServer run(Properties p, Path logDir, Node node) {
    KafkaConfig config;
    try {
      config = new KafkaConfig(p, false);
    } catch (org.apache.kafka.common.config.ConfigException e) {
      throw new UserError("the broker's settings are invalid: " + e.getMessage() + " (check --kafka-config)");
    }
    try {
      if (!Files.exists(logDir.resolve("meta.properties"))) {
        new Formatter()
            .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
            .setSupportedFeatures(Feature.PRODUCTION_FEATURES)
            .setNodeId(node.id())
            .setClusterId(node.clusterId())
            .addDirectory(logDir.toString())
            .setMetadataLogDirectory(logDir.toString())
            .setControllerListenerName("CONTROLLER")
            .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
            .run();
      }
    } catch (Exception e) {
      throw new IllegalStateException("cannot format the broker's log folder " + logDir + ": " + e.getMessage(), e);
    }
    KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
    server.startup();
    return server;
  }

  /** The broker's own settings (PLATFORM.md): listeners plaintext or per {@code security}, internal replication. */
  private static Properties serverProperties(Path logDir, Node node, int internalPort, BrokerSecurity security) {
    String rf = String.valueOf(node.replication());
    String isr = String.valueOf(node.minInsync());
    Properties p = new Properties();
    p.put("process.roles", "broker,controller");
    p.put("node.id", String.valueOf(node.id()));
    p.put("controller.quorum.voters", node.voters());
    p.put("controller.listener.names", "CONTROLLER");
    if (security == null) {
      p.put("listeners", "PLAINTEXT://127.0.0.1:" + node.clientPort() + ",CONTROLLER://127.0.0.1:"
          + node.controllerPort());
      p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + node.clientPort());
      p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
      p.put("inter.broker.listener.name", "PLAINTEXT");
    } else {
      security.configure(p, node.clientPort(), internalPort, node.controllerPort());
    }
    p.put("log.dirs", logDir.toString());
    p.put("num.partitions", "1");
    p.put("offsets.topic.replication.factor", rf);
    p.put("offsets.topic.num.partitions", "1");
    p.put("transaction.state.log.replication.factor", rf);
    p.put("transaction.state.log.min.isr", isr);
    p.put("transaction.state.log.num.partitions", "1");
    p.put("share.coordinator.state.topic.replication.factor", rf);
    p.put("share.coordinator.state.topic.min.isr", isr);
    p.put("default.replication.factor", rf);
    p.put("min.insync.replicas", isr);
    p.put("group.initial.rebalance.delay.ms", "0");
    p.put("log.cleaner.dedupe.buffer.size", "4194304");
    p.put("auto.create.topics.enable", "false");
    p.put("message.max.bytes", String.valueOf(8 * 1024 * 1024));
    return p;
  }

  /** The security of a secure broker, or null for a plaintext one. */
  public BrokerSecurity security() {
    return security;
  }

  /**
   * Settings for a client of this broker: as {@code principal} (one of {@link BrokerSecurity#PRINCIPALS}) on a
   * secure broker, ignored on a plaintext one.
   */
  public KafkaSettings settings(String principal, Topics topics) {
    Map<String, String> extra = security == null ? Map.of() : security.clientConfig(principal);
    return new KafkaSettings(bootstrapServers(), extra, topics);
  }

  /** {@code 127.0.0.1:port}, for {@code bootstrap.servers}. */
  public String bootstrapServers() {
    return "127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  public Path dataDir() {
    return dataDir;
  }

  /** Stops the broker and waits for it (idempotent). */
  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      server.shutdown();
      server.awaitShutdown();
    }
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException("no free port on 127.0.0.1: " + e.getMessage(), e);
    }
  }

  private static void requireFree(int port) {
    try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      s.setReuseAddress(true);
    } catch (IOException e) {
      throw new UserError("port " + port + " on 127.0.0.1 is in use (" + e.getMessage()
          + "); choose another with --port, or use the broker already running there with --bootstrap-servers");
    }
  }
}
