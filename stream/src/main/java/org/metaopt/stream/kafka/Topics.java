package org.metaopt.stream.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.metaopt.core.UserError;

/**
 * The pipeline's topics, named {@code <prefix>.<name>.v1} (prefix {@code metaopt} by default), and their creation
 * at start-up when missing. Layout (also in docs/ARCHITECTURE.md):
 *
 * <ul>
 *   <li>{@code trajectories}: segments from producers, key = particle id. One partition by default: the learner is a
 *       single sequential consumer of one θ, and one partition gives the total order that makes windows, offset
 *       ranges in provenance, and replay deterministic. 7 days retention, delete policy.
 *   <li>{@code versions}: every optimizer version, key = version number; one partition, kept forever (audit, replay).
 *       The latest is the last committed record, read by seeking to the end, never by scanning.
 *   <li>{@code evaluations}: one record per evaluated version, key = version number; one partition, kept forever.
 *   <li>{@code trajectories.dlq}: records the learner could not decode, with the reason in headers; 30 days.
 * </ul>
 *
 * @param prefix topic name prefix
 */
public record Topics(String prefix) {
  public static final String DEFAULT_PREFIX = "metaopt";
  public static final long TRAJECTORY_RETENTION_MS = Duration.ofDays(7).toMillis();
  public static final long DLQ_RETENTION_MS = Duration.ofDays(30).toMillis();
  /** Largest record: a version with its meta-optimizer state, or a segment with raw gradients. */
  public static final int MAX_MESSAGE_BYTES = 8 * 1024 * 1024;

  public Topics {
    if (prefix == null || prefix.isBlank() || !prefix.matches("[A-Za-z0-9._-]+")) {
      throw new UserError("topic prefix '" + prefix + "' must be non-empty and use only letters, digits, '.', '_' "
          + "and '-'");
    }
  }

  public static Topics defaults() {
    return new Topics(DEFAULT_PREFIX);
  }

  public String trajectories() {
    return prefix + ".trajectories.v1";
  }

  public String versions() {
    return prefix + ".versions.v1";
  }

  public String evaluations() {
    return prefix + ".evaluations.v1";
  }

  public String deadLetters() {
    return prefix + ".trajectories.dlq.v1";
  }

  /** All four names. */
  public List<String> all() {
    return List.of(trajectories(), versions(), evaluations(), deadLetters());
  }

  /** The topic definitions: partitions, replication 1 on a single broker (the broker default elsewhere), configs. */
  public List<NewTopic> definitions(int trajectoryPartitions, short replication) {
    List<NewTopic> out = new ArrayList<>();
    String maxBytes = String.valueOf(MAX_MESSAGE_BYTES);
    out.add(new NewTopic(trajectories(), trajectoryPartitions, replication).configs(Map.of(
        TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
        TopicConfig.RETENTION_MS_CONFIG, String.valueOf(TRAJECTORY_RETENTION_MS),
        TopicConfig.MAX_MESSAGE_BYTES_CONFIG, maxBytes)));
    for (String forever : List.of(versions(), evaluations())) {
      out.add(new NewTopic(forever, 1, replication).configs(Map.of(
          TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
          TopicConfig.RETENTION_MS_CONFIG, "-1",
          TopicConfig.RETENTION_BYTES_CONFIG, "-1",
          TopicConfig.MAX_MESSAGE_BYTES_CONFIG, maxBytes)));
    }
    out.add(new NewTopic(deadLetters(), 1, replication).configs(Map.of(
        TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
        TopicConfig.RETENTION_MS_CONFIG, String.valueOf(DLQ_RETENTION_MS),
        TopicConfig.MAX_MESSAGE_BYTES_CONFIG, maxBytes)));
    return out;
  }

  /**
   * Creates the topics that do not exist yet (existing ones are left as they are). Replication is 1 on a
   * one-broker cluster and min(3, brokers) otherwise. Gives up after about {@code timeout} (each admin call is
   * bounded by it) with a one-line {@link UserError} saying how to reach a broker.
   */
  public void ensure(KafkaSettings settings, Duration timeout) {
    Map<String, Object> config = new java.util.HashMap<>(settings.admin());
    int ms = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
    config.put(org.apache.kafka.clients.admin.AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, ms);
    config.put(org.apache.kafka.clients.admin.AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
        Math.min(ms, ((Number) config.getOrDefault(
            org.apache.kafka.clients.admin.AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, ms)).intValue()));
    Admin admin = Admin.create(config);
    try {
      int brokers = admin.describeCluster().nodes().get(timeout.toMillis(), TimeUnit.MILLISECONDS).size();
      short replication = (short) Math.max(1, Math.min(3, brokers));
      Set<String> existing = admin.listTopics().names().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      List<NewTopic> missing = definitions(1, replication).stream()
          .filter(t -> !existing.contains(t.name())).toList();
      if (!missing.isEmpty()) {
        try {
          admin.createTopics(missing).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw e;
          }
        }
      }
    } catch (TimeoutException e) {
      throw unreachable(settings, timeout);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof org.apache.kafka.common.errors.TimeoutException) {
        throw unreachable(settings, timeout);
      }
      throw new UserError("cannot create the topics on " + settings.bootstrapServers() + ": "
          + e.getCause().getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UserError("interrupted while creating topics");
    } finally {
      admin.close(Duration.ofSeconds(1)); // never wait for calls still pending against an absent broker
    }
  }

  private static UserError unreachable(KafkaSettings settings, Duration timeout) {
    return new UserError("no Kafka broker answered at " + settings.bootstrapServers() + " within "
        + timeout.toSeconds() + " s; start one with './metaopt broker' (or './metaopt demo' for everything in one "
        + "process) or pass --bootstrap-servers HOST:PORT of a running broker");
  }
}
