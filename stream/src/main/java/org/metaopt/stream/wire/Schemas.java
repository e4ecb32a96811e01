package org.metaopt.stream.wire;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;

/**
 * The wire schemas, loaded once from the {@code .avsc} resources next to this class, and the writer schema of an
 * older minor version (the fields it had). A field appended in minor N carries {@code "sinceMinor": N} and a default.
 * Thread-safe.
 */
final class Schemas {
  /** The field property naming the minor version that appended a field (absent: 0). */
  static final String SINCE_MINOR = "sinceMinor";

  private static final Map<RecordKind, Schema> CURRENT = new EnumMap<>(RecordKind.class);
  private static final Map<String, Schema> OLDER = new ConcurrentHashMap<>();

  static {
    for (RecordKind k : RecordKind.values()) {
      CURRENT.put(k, load(k.schemaResource()));
    }
  }

  private Schemas() {}

  private static Schema load(String resource) {
    try (InputStream in = Schemas.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("wire schema resource " + resource + " is missing from the jar");
      }
      return new Schema.Parser().parse(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read wire schema " + resource, e);
    }
  }

  /** The schema this build writes for {@code kind}. */
  static Schema current(RecordKind kind) {
    return CURRENT.get(kind);
  }

  /** The schema a writer of {@code minor} used: the current one without the fields appended after it. */
  static Schema forMinor(RecordKind kind, int minor) {
    Schema now = current(kind);
    if (minor >= kind.minor()) {
      return now;
    }
    return OLDER.computeIfAbsent(kind + "/" + minor, key -> prefix(now, minor));
  }

  /** {@code schema}'s top-level fields with {@code sinceMinor <= minor}, in order. */
  static Schema prefix(Schema schema, int minor) {
    List<Schema.Field> kept = new ArrayList<>();
    for (Schema.Field f : schema.getFields()) {
      Object since = f.getObjectProp(SINCE_MINOR);
      int appearedIn = since instanceof Number n ? n.intValue() : 0;
      if (appearedIn <= minor) {
        kept.add(new Schema.Field(f, f.schema()));
      }
    }
    return Schema.createRecord(schema.getName(), schema.getDoc(), schema.getNamespace(), false, kept);
  }
}
