package org.metaopt.stream.wire;

/**
 * A wire record that cannot be decoded: wrong magic, wrong kind, an unknown major schema version, truncated or
 * garbage bytes, or content that violates the record's invariants (e.g. a θ that does not match its SHA-256).
 * Consumers route such records to a dead-letter topic with {@link #reason()} in a header and go on. Immutable.
 */
public class MalformedRecordException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String reason;

  public MalformedRecordException(String reason) {
    super(reason);
    this.reason = reason;
  }

  public MalformedRecordException(String reason, Throwable cause) {
    super(reason, cause);
    this.reason = reason;
  }

  /** One line saying what is wrong, e.g. "unknown major schema version 3 of segment (this build reads 1)". */
  public String reason() {
    return reason;
  }
}
