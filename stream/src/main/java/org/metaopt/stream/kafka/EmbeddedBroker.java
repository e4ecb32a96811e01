package org.metaopt.stream.kafka;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
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
 */
public final class EmbeddedBroker implements AutoCloseable {
  private final Path dataDir;
  private final int port;
  private final KafkaRaftServer server;
  private boolean closed;

  private EmbeddedBroker(Path dataDir, int port, KafkaRaftServer server) {
    this.dataDir = dataDir;
    this.port = port;
    this.server = server;
  }

  /**
   * Formats {@code dataDir} when needed and starts the broker.
   *
   * @param port the client port on 127.0.0.1, or 0 for any free port
   */
  public static EmbeddedBroker start(Path dataDir, int port) {
    int clientPort = port == 0 ? freePort() : port;
    int controllerPort = freePort();
    if (port != 0) {
      requireFree(port);
    }
    Path logDir = dataDir.toAbsolutePath().resolve("kraft-logs");
    try {
      Files.createDirectories(logDir);
    } catch (IOException e) {
      throw new UserError("cannot create the broker's data folder " + logDir + ": " + e.getMessage()
          + " (choose another with --data-dir)");
    }
    Properties p = new Properties();
    p.put("process.roles", "broker,controller");
    p.put("node.id", "1");
    p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
    p.put("listeners", "PLAINTEXT://127.0.0.1:" + clientPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
    p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + clientPort);
    p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    p.put("controller.listener.names", "CONTROLLER");
    p.put("inter.broker.listener.name", "PLAINTEXT");
    p.put("log.dirs", logDir.toString());
    p.put("num.partitions", "1");
    p.put("offsets.topic.replication.factor", "1");
    p.put("offsets.topic.num.partitions", "1");
    p.put("transaction.state.log.replication.factor", "1");
    p.put("transaction.state.log.min.isr", "1");
    p.put("transaction.state.log.num.partitions", "1");
    p.put("share.coordinator.state.topic.replication.factor", "1");
    p.put("share.coordinator.state.topic.min.isr", "1");
    p.put("default.replication.factor", "1");
    p.put("min.insync.replicas", "1");
    p.put("group.initial.rebalance.delay.ms", "0");
    p.put("log.cleaner.dedupe.buffer.size", "4194304");
    p.put("auto.create.topics.enable", "false");
    p.put("message.max.bytes", String.valueOf(8 * 1024 * 1024));
    KafkaConfig config = new KafkaConfig(p, false);
    try {
      if (!Files.exists(logDir.resolve("meta.properties"))) {
        new Formatter()
            .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
            .setSupportedFeatures(Feature.PRODUCTION_FEATURES)
            .setNodeId(1)
            .setClusterId(Uuid.randomUuid().toString())
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
    return new EmbeddedBroker(dataDir, clientPort, server);
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
