/**
 * The wire format of the streaming pipeline: {@link org.metaopt.stream.wire.WireFormat} turns segments, optimizer
 * versions and {@link org.metaopt.stream.wire.EvaluationRecord}s into enveloped Avro bytes and back, rejecting any bad
 * input with a {@link org.metaopt.stream.wire.MalformedRecordException}; {@link org.metaopt.stream.wire.RecordFile}
 * exports and imports ranges of Kafka records so recorded runs can be replayed elsewhere. No Kafka or Reactor
 * imports; see {@code docs/wire-format.md}.
 */
package org.metaopt.stream.wire;
