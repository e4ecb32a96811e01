package org.metaopt.ops.cli;

import org.metaopt.stream.kafka.KafkaSettings;
import org.metaopt.ops.pipeline.RecordTransfer;
import picocli.CommandLine.Option;

/** A range of the trajectories topic, by offset or ISO-8601 time ({@code replay}, {@code export}). */
final class RangeOptions {
  @Option(names = "--from", defaultValue = "0", paramLabel = "OFFSET|TIME",
      description = "First trajectory offset, or an ISO-8601 UTC time (default: ${DEFAULT-VALUE}).")
  String from;

  @Option(names = "--to", paramLabel = "OFFSET|TIME", description = "End (exclusive); default: the current end.")
  String to;

  /** Rejects malformed positions before any broker is contacted. */
  void check() {
    RecordTransfer.checkPosition(from, "--from");
    RecordTransfer.checkPosition(to, "--to");
  }

  long fromOffset(KafkaSettings settings) {
    return RecordTransfer.resolvePosition(settings, from, 0, "--from");
  }

  long toOffset(KafkaSettings settings) {
    return RecordTransfer.resolvePosition(settings, to, Long.MAX_VALUE, "--to");
  }
}
