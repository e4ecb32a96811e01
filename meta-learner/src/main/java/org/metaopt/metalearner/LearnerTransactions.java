package org.metaopt.metalearner;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.metaopt.core.version.OptimizerVersion;
import org.metaopt.stream.kafka.KafkaSettings;
import org.metaopt.stream.kafka.ReactiveReceiver;
import org.metaopt.stream.kafka.VersionLog;
import org.metaopt.stream.wire.WireFormat;

/**
 * The {@link KafkaLearner}'s transactional producer: opened on each activation (which fences a predecessor with the
 * same {@code transactional.id}), it publishes version 0 and commits each later version together with its window's
 * dead letters and consumed offsets. Used on the learner thread only. Not final: tests make a commit fail.
 */
class LearnerTransactions {
  private final KafkaSettings kafka;
  private final String clientId;
  private final String transactionalId;
  private KafkaProducer<byte[], byte[]> producer;

  LearnerTransactions(KafkaSettings kafka, String clientId, String transactionalId) {
    this.kafka = kafka;
    this.clientId = clientId;
    this.transactionalId = transactionalId;
  }

  /** Replaces the producer by a new one (its client metrics in {@code metrics} unless null) and fences. */
  void open(LearnerMetrics metrics) {
    close();
    producer = new KafkaProducer<>(kafka.transactionalProducer(clientId, transactionalId));
    if (metrics != null) {
      metrics.producer(producer);
    }
    producer.initTransactions();
  }

  /** Publishes version 0 in a transaction of its own. */
  void publishFirst(OptimizerVersion from) {
    try {
      producer.beginTransaction();
      producer.send(new ProducerRecord<>(kafka.topics().versions(), VersionLog.key(0), WireFormat.encode(from)));
      producer.commitTransaction();
    } catch (KafkaException e) {
      abortQuietly(e);
      throw new IllegalStateException("could not publish version 0: " + e.getMessage(), e);
    }
  }

  /**
   * Commits, in one transaction, the window's dead letters, version {@code v} and the consumed {@code offsets} of
   * {@code rx}'s group. On failure the transaction is left open for {@link #abortQuietly} or {@link #close}.
   */
  void commit(List<ProducerRecord<byte[], byte[]>> deadLetters, OptimizerVersion v,
      Map<TopicPartition, OffsetAndMetadata> offsets, ReactiveReceiver rx) {
    send(deadLetters, v, offsets, rx);
    producer.commitTransaction();
  }

  /** Begins the transaction and sends everything {@link #commit} commits, leaving the transaction open. */
  void send(List<ProducerRecord<byte[], byte[]>> deadLetters, OptimizerVersion v,
      Map<TopicPartition, OffsetAndMetadata> offsets, ReactiveReceiver rx) {
    producer.beginTransaction();
    for (ProducerRecord<byte[], byte[]> d : deadLetters) {
      producer.send(d);
    }
    producer.send(new ProducerRecord<>(kafka.topics().versions(), VersionLog.key(v.version()),
        WireFormat.encode(v)));
    producer.sendOffsetsToTransaction(offsets, rx.groupMetadata());
  }

  /** The dead-letter record for {@code r}: its key and value with the reason and source headers. */
  ProducerRecord<byte[], byte[]> deadLetter(ConsumerRecord<byte[], byte[]> r, String reason) {
    RecordHeaders h = new RecordHeaders();
    h.add(KafkaLearner.DLQ_REASON, reason.getBytes(StandardCharsets.UTF_8));
    h.add(KafkaLearner.DLQ_SOURCE, (r.topic() + ":" + r.partition() + ":" + r.offset())
        .getBytes(StandardCharsets.UTF_8));
    return new ProducerRecord<>(kafka.topics().deadLetters(), null, r.key(), r.value(), h);
  }

  /** Aborts the open transaction after {@code cause}; closes the producer when fenced or when aborting fails. */
  void abortQuietly(KafkaException cause) {
    if (cause instanceof ProducerFencedException) {
      close();
      return;
    }
    try {
      producer.abortTransaction();
    } catch (RuntimeException ignored) {
      close();
    }
  }

  void close() {
    if (producer != null) {
      try {
        producer.close(Duration.ofSeconds(5));
      } catch (RuntimeException ignored) {
        // already broken
      }
      producer = null;
    }
  }
}
