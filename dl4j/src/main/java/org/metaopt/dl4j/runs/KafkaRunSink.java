package org.metaopt.dl4j.runs;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.metaopt.stream.kafka.KafkaSettings;
import org.metaopt.stream.wire.RunRecord;
import org.metaopt.stream.wire.WireFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends recorded runs to the trajectories topic ({@code <prefix>.trajectories.v1}, key = the run id) with the
 * project's idempotent producer. Sends are asynchronous; a chunk the client could not deliver after its own retries
 * (two minutes) is logged and counted ({@link #failures()}), and training goes on. The topics are created when
 * missing. Thread-safe (Kafka's producer is).
 */
public final class KafkaRunSink implements RunSink {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaRunSink.class);

  private final KafkaProducer<byte[], byte[]> producer;
  private final String topic;
  private final AtomicLong failures = new AtomicLong();

  /**
   * Connects to {@code settings}' cluster and creates the pipeline's topics when missing.
   *
   * @throws org.metaopt.core.UserError when no broker answers within 15 s
   */
  public KafkaRunSink(KafkaSettings settings) {
    settings.topics().ensure(settings, Duration.ofSeconds(15));
    this.producer = new KafkaProducer<>(settings.producer("metaopt-dl4j-runs"));
    this.topic = settings.topics().trajectories();
  }

  @Override
  public void send(RunRecord chunk) {
    byte[] key = chunk.runId().getBytes(StandardCharsets.UTF_8);
    producer.send(new ProducerRecord<>(topic, key, WireFormat.encode(chunk)), (meta, error) -> {
      if (error != null) {
        failures.incrementAndGet();
        LOG.warn("recorded run {} chunk {} was not delivered to {}: {}", chunk.runId(), chunk.chunk(), topic,
            error.toString());
      }
    });
  }

  /** Chunks the client gave up on. */
  public long failures() {
    return failures.get();
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(10));
  }
}
