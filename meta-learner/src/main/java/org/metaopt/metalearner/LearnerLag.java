package org.metaopt.metalearner;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.metaopt.stream.kafka.KafkaSettings;

/**
 * The learner group's lag on the trajectories topic as a gauge ({@code metaopt.learner.lag}): the sum over the
 * topic's partitions of end offset minus the group's committed offset (0 when nothing was committed yet), i.e. the
 * records produced but not yet accounted for by a committed version (transaction markers included). Measured with an
 * admin client on its own daemon thread every {@code period}, so scrapes never wait for Kafka; NaN until the first
 * measurement and while the broker does not answer. Close to stop.
 */
public final class LearnerLag implements MeterBinder, AutoCloseable {
  private final KafkaSettings kafka;
  private final String groupId;
  private final Duration period;
  private volatile double lag = Double.NaN;
  private ScheduledExecutorService timer;
  private Admin admin;

  public LearnerLag(KafkaSettings kafka, Duration period) {
    this.kafka = kafka;
    this.groupId = kafka.topics().prefix() + ".learner";
    this.period = period;
  }

  @Override
  public synchronized void bindTo(MeterRegistry registry) {
    Gauge.builder("metaopt.learner.lag", this, LearnerLag::lag).strongReference(true)
        .description("Records on the trajectories topic not yet covered by the learner group's committed offsets "
            + "(end offset - committed offset, summed over partitions)")
        .baseUnit("records").register(registry);
    if (timer == null) {
      admin = Admin.create(kafka.admin());
      timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "metaopt-learner-lag");
        t.setDaemon(true);
        return t;
      });
      timer.scheduleWithFixedDelay(this::measure, 0, period.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  /** The last measured lag in records (NaN before the first measurement or when the broker did not answer). */
  public double lag() {
    return lag;
  }

  private void measure() {
    try {
      String topic = kafka.topics().trajectories();
      int partitions = admin.describeTopics(List.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS).get(topic)
          .partitions().size();
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      for (int p = 0; p < partitions; p++) {
        latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
      }
      var ends = admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS);
      Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(
              Map.of(groupId, new ListConsumerGroupOffsetsSpec().topicPartitions(latest.keySet())))
          .partitionsToOffsetAndMetadata(groupId).get(10, TimeUnit.SECONDS);
      long sum = 0;
      for (TopicPartition tp : latest.keySet()) {
        OffsetAndMetadata c = committed.get(tp);
        sum += Math.max(0, ends.get(tp).offset() - (c == null ? 0 : c.offset()));
      }
      lag = sum;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      lag = Double.NaN; // broker away or topic missing: unknown, not zero
    }
  }

  @Override
  public synchronized void close() {
    if (timer != null) {
      timer.shutdownNow();
      admin.close(Duration.ofSeconds(2));
      timer = null;
    }
  }
}
