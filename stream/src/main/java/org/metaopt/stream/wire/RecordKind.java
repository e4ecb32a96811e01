package org.metaopt.stream.wire;

/**
 * The kinds of wire record, each with its envelope code and the schema version this build writes. Immutable.
 */
public enum RecordKind {
  /** A trajectory {@link org.metaopt.core.meta.Segment}. */
  SEGMENT(1, "segment", WireFormat.SEGMENT_MAJOR, WireFormat.SEGMENT_MINOR, "segment.avsc"),
  /** An {@link org.metaopt.core.version.OptimizerVersion}. */
  VERSION(2, "optimizer version", WireFormat.VERSION_MAJOR, WireFormat.VERSION_MINOR, "optimizer-version.avsc"),
  /** An {@link EvaluationRecord}. */
  EVALUATION(3, "evaluation", WireFormat.EVALUATION_MAJOR, WireFormat.EVALUATION_MINOR, "evaluation.avsc"),
  /** A {@link RunRecord}: a chunk of a recorded training run, on the trajectories topic, skipped by the learner. */
  RUN(4, "recorded run", WireFormat.RUN_MAJOR, WireFormat.RUN_MINOR, "run.avsc");

  private final int code;
  private final String label;
  private final int major;
  private final int minor;
  private final String schemaResource;

  RecordKind(int code, String label, int major, int minor, String schemaResource) {
    this.code = code;
    this.label = label;
    this.major = major;
    this.minor = minor;
    this.schemaResource = schemaResource;
  }

  /** The envelope's kind byte. */
  public int code() {
    return code;
  }

  /** Human name used in messages ("segment", "optimizer version", "evaluation", "recorded run"). */
  public String label() {
    return label;
  }

  /** The major schema version this build writes and reads. */
  public int major() {
    return major;
  }

  /** The minor schema version this build writes (it reads every minor of its major). */
  public int minor() {
    return minor;
  }

  String schemaResource() {
    return schemaResource;
  }

  /** The kind with envelope code {@code code}, or null for none. */
  public static RecordKind ofCode(int code) {
    for (RecordKind k : values()) {
      if (k.code == code) {
        return k;
      }
    }
    return null;
  }
}
