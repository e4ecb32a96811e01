package org.metaopt.stream.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.metaopt.core.UserError;
import org.metaopt.stream.wire.EvaluationRecord;
import org.metaopt.stream.wire.MalformedRecordException;
import org.metaopt.stream.wire.WireFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the evaluations topic (one partition, committed records only), for an evaluator that restarts and must know
 * what it already scored. Stateless; each call uses its own short-lived consumer.
 */
public final class EvaluationLog {
  private static final Logger LOG = LoggerFactory.getLogger(EvaluationLog.class);

  private EvaluationLog() {}

  /** Every readable evaluation in topic order; unreadable records are skipped with a warning. */
  public static List<EvaluationRecord> readAll(KafkaSettings s, Duration timeout) {
    TopicPartition tp = new TopicPartition(s.topics().evaluations(), 0);
    try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(s.consumer("metaopt-evaluation-reader", null))) {
      c.assign(List.of(tp));
      long end = c.endOffsets(List.of(tp), timeout).get(tp);
      c.seekToBeginning(List.of(tp));
      List<EvaluationRecord> out = new ArrayList<>();
      long deadline = System.nanoTime() + timeout.toNanos();
      while (c.position(tp, timeout) < end) {
        if (System.nanoTime() > deadline) {
          throw new org.apache.kafka.common.errors.TimeoutException("reading " + tp + " up to offset " + end);
        }
        for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
          if (r.offset() >= end) {
            continue;
          }
          try {
            out.add(WireFormat.decodeEvaluation(r.value()));
          } catch (MalformedRecordException e) {
            LOG.warn("metaopt: skipping unreadable evaluation at {}@{}: {}", tp, r.offset(), e.reason());
          }
        }
      }
      return out;
    } catch (org.apache.kafka.common.errors.TimeoutException e) {
      throw new UserError("no Kafka broker answered at " + s.bootstrapServers() + " within " + timeout.toSeconds()
          + " s while reading " + s.topics().evaluations() + "; is the broker running?");
    } catch (org.apache.kafka.common.errors.AuthorizationException
        | org.apache.kafka.common.errors.AuthenticationException e) {
      throw new UserError("these client settings may not read " + s.topics().evaluations() + " at "
          + s.bootstrapServers() + ": " + e.getMessage() + " (the evaluator's --kafka-config must name a principal "
          + "allowed to, e.g. evaluator.properties of './metaopt broker --secure')");
    }
  }
}
