package org.metaopt.stream.kafka;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.Uuid;
import org.metaopt.core.UserError;

/**
 * A KRaft cluster of {@code size} nodes on 127.0.0.1, each a broker and a controller (a static quorum of all of them),
 * for trying the multi-broker layout on one machine: node {@code i} (1-based) listens for clients on
 * {@code basePort + i - 1} and for its controller on {@code basePort + size + i - 1}, keeps its log in
 * {@code dataDir/node-i}. Topics get replication min(3, size) and {@code min.insync.replicas} 2 (as Kafka's own
 * transaction system tests run), internal topics too. The cluster id is derived from the data folder, so nodes
 * started separately (separate JVMs) format their folders for the same cluster without talking to each other.
 *
 * @param size nodes, 2..9
 * @param basePort the first node's client port
 * @param dataDir the folder holding every node's log folder
 */
public record ClusterLayout(int size, int basePort, Path dataDir) {
  public ClusterLayout {
    if (size < 2 || size > 9) {
      throw new UserError("--cluster " + size + " must be in 2..9 (a single broker is the default)");
    }
    if (basePort < 1 || basePort + 2 * size - 1 > 65535) {
      throw new UserError("--port " + basePort + " leaves no room for " + 2 * size + " ports (clients and "
          + "controllers) below 65536");
    }
    dataDir = dataDir.toAbsolutePath().normalize();
  }

  public int clientPort(int node) {
    return basePort + index(node);
  }

  public int controllerPort(int node) {
    return basePort + size + index(node);
  }

  /** The log folder of {@code node}. */
  public Path nodeDir(int node) {
    return dataDir.resolve("node-" + (index(node) + 1));
  }

  /** {@code controller.quorum.voters}: every node. */
  public String voters() {
    List<String> v = new ArrayList<>();
    for (int i = 1; i <= size; i++) {
      v.add(i + "@127.0.0.1:" + controllerPort(i));
    }
    return String.join(",", v);
  }

  /** Every node's client address, for {@code bootstrap.servers}. */
  public String bootstrapServers() {
    List<String> v = new ArrayList<>();
    for (int i = 1; i <= size; i++) {
      v.add("127.0.0.1:" + clientPort(i));
    }
    return String.join(",", v);
  }

  public int replication() {
    return Math.min(3, size);
  }

  public int minInsyncReplicas() {
    return Math.min(2, replication());
  }

  /** The cluster id: the first 16 bytes of SHA-256 of the data folder's path. */
  public String clusterId() {
    try {
      byte[] h = MessageDigest.getInstance("SHA-256").digest(dataDir.toString().getBytes(StandardCharsets.UTF_8));
      ByteBuffer b = ByteBuffer.wrap(h);
      return new Uuid(b.getLong() | 1L << 62, b.getLong()).toString(); // never one of Kafka's reserved ids
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  private int index(int node) {
    if (node < 1 || node > size) {
      throw new UserError("--node " + node + " must be in 1.." + size);
    }
    return node - 1;
  }
}
