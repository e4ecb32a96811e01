package org.metaopt.ops.cli;

import java.nio.file.Path;
import java.util.Map;
import org.metaopt.stream.kafka.KafkaSettings;
import org.metaopt.stream.kafka.Topics;
import picocli.CommandLine.Option;

/** The Kafka options every service command shares. */
final class KafkaOptions {
  @Option(names = "--bootstrap-servers", defaultValue = "127.0.0.1:9092", paramLabel = "HOST:PORT",
      description = "Kafka bootstrap servers (default: ${DEFAULT-VALUE}, i.e. './metaopt broker').")
  String bootstrapServers;

  @Option(names = "--kafka-config", paramLabel = "FILE",
      description = "Java properties file of extra Kafka client settings passed through to every client (SASL/SSL, timeouts, ...).")
  Path kafkaConfig;

  @Option(names = "--topic-prefix", defaultValue = Topics.DEFAULT_PREFIX, paramLabel = "PREFIX",
      description = "Topic name prefix (default: ${DEFAULT-VALUE}: ${DEFAULT-VALUE}.trajectories.v1, ...).")
  String topicPrefix;

  @Option(names = "--log-dir", defaultValue = "runs/logs", paramLabel = "DIR",
      description = "Where Kafka client logs go (default: ${DEFAULT-VALUE}).")
  Path logDir;

  /** Sends Kafka's own logging to {@code DIR/name} (call before the first Kafka client is created). */
  void logTo(String name) {
    KafkaLogging.toFile(logDir.resolve(name));
  }

  KafkaSettings settings() {
    Map<String, String> extra = kafkaConfig != null ? KafkaSettings.readConfigFile(kafkaConfig) : Map.of();
    return new KafkaSettings(bootstrapServers, extra, new Topics(topicPrefix));
  }
}
