package org.metaopt.dl4j.runs;

import org.metaopt.stream.wire.RunRecord;

/**
 * Where a {@link MetaoptListener} sends the chunks of a recorded run: Kafka ({@link KafkaRunSink}) or, in tests, a
 * list. Implementations are called from the training thread and must not block it for long.
 */
public interface RunSink extends AutoCloseable {

  /** Sends one chunk; failures are reported by the sink (logged, counted), never thrown into training. */
  void send(RunRecord chunk);

  /** Flushes what was sent and releases the sink. */
  @Override
  void close();
}
