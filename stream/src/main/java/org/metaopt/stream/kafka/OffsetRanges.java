package org.metaopt.stream.kafka;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.TopicPartition;

/**
 * The offset ranges a version was computed from, as written into its provenance: {@code topic:partition:[from,to)}
 * joined by {@code ;} (to exclusive). Every consumed record of the range is accounted for by that version,
 * including segments dropped as stale and records sent to the dead-letter topic.
 */
public final class OffsetRanges {
  private OffsetRanges() {}

  /** One partition's half-open range. */
  public record Range(TopicPartition partition, long from, long to) {}

  public static String format(Map<TopicPartition, long[]> ranges) {
    List<String> parts = new ArrayList<>();
    ranges.entrySet().stream()
        .sorted(Map.Entry.comparingByKey(Comparator.comparing(TopicPartition::topic)
            .thenComparingInt(TopicPartition::partition)))
        .forEach(e -> parts.add(e.getKey().topic() + ":" + e.getKey().partition() + ":[" + e.getValue()[0] + ","
            + e.getValue()[1] + ")"));
    return String.join(";", parts);
  }

  /** Parses {@link #format}'s output; an empty or foreign description gives an empty list. */
  public static List<Range> parse(String description) {
    List<Range> out = new ArrayList<>();
    if (description == null || description.isBlank()) {
      return out;
    }
    for (String part : description.split(";")) {
      int b = part.lastIndexOf(":[");
      if (b < 0 || !part.endsWith(")")) {
        return List.of();
      }
      String head = part.substring(0, b);
      int c = head.lastIndexOf(':');
      if (c < 0) {
        return List.of();
      }
      String[] ft = part.substring(b + 2, part.length() - 1).split(",");
      try {
        out.add(new Range(new TopicPartition(head.substring(0, c), Integer.parseInt(head.substring(c + 1))),
            Long.parseLong(ft[0]), Long.parseLong(ft[1])));
      } catch (RuntimeException e) {
        return List.of();
      }
    }
    return out;
  }

  /** Convenience for building {@link #format}'s argument. */
  public static Map<TopicPartition, long[]> newMap() {
    return new TreeMap<>(Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition));
  }
}
