package org.metaopt.stream.wire;

import java.util.Arrays;
import java.util.Objects;

/**
 * One Kafka record as exported to a {@link RecordFile}: where it was (topic, partition, offset), when, and its key
 * and value bytes exactly as on the topic. Arrays are owned by the record once built (not copied; do not mutate).
 * Equality compares the bytes. Immutable by contract.
 *
 * @param topic the topic it was read from
 * @param partition its partition
 * @param offset its offset in that partition
 * @param timestamp the record's timestamp, epoch milliseconds
 * @param key key bytes, or null
 * @param value value bytes, or null (a tombstone)
 */
public record StoredRecord(String topic, int partition, long offset, long timestamp, byte[] key, byte[] value) {

  public StoredRecord {
    if (topic == null || topic.isEmpty()) {
      throw new IllegalArgumentException("topic must be a non-empty name, got " + (topic == null ? "null" : "''"));
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof StoredRecord r && topic.equals(r.topic) && partition == r.partition && offset == r.offset
        && timestamp == r.timestamp && Arrays.equals(key, r.key) && Arrays.equals(value, r.value);
  }

  @Override
  public int hashCode() {
    return Objects.hash(topic, partition, offset, timestamp, Arrays.hashCode(key), Arrays.hashCode(value));
  }

  @Override
  public String toString() {
    return "StoredRecord[" + topic + "-" + partition + "@" + offset + ", timestamp=" + timestamp + ", key="
        + (key == null ? "null" : key.length + " bytes") + ", value="
        + (value == null ? "null" : value.length + " bytes") + "]";
  }
}
