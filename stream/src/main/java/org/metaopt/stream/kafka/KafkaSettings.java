package org.metaopt.stream.kafka;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.metaopt.core.UserError;

/**
 * How the services reach Kafka: the bootstrap servers, any client properties from a {@code --kafka-config} file
 * (SASL/SSL and the like, passed through unchanged), and the topic names. Builds the client configurations every
 * service uses, with the pipeline's required settings applied on top. Immutable.
 *
 * @param bootstrapServers HOST:PORT[,HOST:PORT...]
 * @param extra client properties passed through to every client
 * @param topics topic names
 */
public record KafkaSettings(String bootstrapServers, Map<String, String> extra, Topics topics) {

  public KafkaSettings {
    if (bootstrapServers == null || bootstrapServers.isBlank()) {
      throw new UserError("--bootstrap-servers is empty; give HOST:PORT of a Kafka broker");
    }
    extra = Map.copyOf(extra);
  }

  public static KafkaSettings of(String bootstrapServers) {
    return new KafkaSettings(bootstrapServers, Map.of(), Topics.defaults());
  }

  /** Reads a Java properties file of client settings ({@code --kafka-config}). */
  public static Map<String, String> readConfigFile(Path file) {
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(file)) {
      p.load(r);
    } catch (NoSuchFileException e) {
      throw new UserError("--kafka-config " + file + ": no such file");
    } catch (IOException | IllegalArgumentException e) {
      throw new UserError("--kafka-config " + file + ": cannot read it as a properties file: " + e.getMessage());
    }
    Map<String, String> out = new HashMap<>();
    p.stringPropertyNames().forEach(k -> out.put(k, p.getProperty(k)));
    return out;
  }

  public KafkaSettings withTopics(Topics t) {
    return new KafkaSettings(bootstrapServers, extra, t);
  }

  private Map<String, Object> base() {
    Map<String, Object> m = new HashMap<>(extra);
    m.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    return m;
  }

  public Map<String, Object> admin() {
    Map<String, Object> m = base();
    m.putIfAbsent(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
    m.putIfAbsent(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000);
    return m;
  }

  /**
   * An idempotent producer: {@code acks=all}, idempotence on, lz4 compression, transient errors retried by the
   * client for up to two minutes per record.
   */
  public Map<String, Object> producer(String clientId) {
    Map<String, Object> m = base();
    m.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
    m.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    m.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    m.put(ProducerConfig.ACKS_CONFIG, "all");
    m.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    m.putIfAbsent(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    m.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 5);
    m.putIfAbsent(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Topics.MAX_MESSAGE_BYTES);
    m.putIfAbsent(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 120_000);
    return m;
  }

  /** A transactional producer with a fixed {@code transactional.id} (a restarted owner fences its predecessor). */
  public Map<String, Object> transactionalProducer(String clientId, String transactionalId) {
    Map<String, Object> m = producer(clientId);
    m.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
    m.putIfAbsent(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 15_000);
    return m;
  }

  /**
   * A consumer of committed records only ({@code read_committed}) with auto-commit off: offsets are committed after
   * the effect, by the receiver or inside a transaction.
   *
   * @param groupId the consumer group, or null for a group-less consumer (manual assignment)
   */
  public Map<String, Object> consumer(String clientId, String groupId) {
    Map<String, Object> m = base();
    m.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
    if (groupId != null) {
      m.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
    }
    m.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    m.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    m.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    m.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    m.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    m.putIfAbsent(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Topics.MAX_MESSAGE_BYTES);
    m.putIfAbsent(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 10_000);
    m.putIfAbsent(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 1_000);
    return m;
  }
}
