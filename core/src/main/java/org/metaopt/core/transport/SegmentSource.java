package org.metaopt.core.transport;

import java.time.Duration;
import java.util.List;
import org.metaopt.core.meta.Segment;

/** Where the learner takes windows of segments from. Single consumer. */
public interface SegmentSource {

  /**
   * Up to {@code maxCount} segments: returns as soon as {@code maxCount} are available, or when {@code maxWait}
   * has passed with whatever arrived (possibly none).
   */
  List<Segment> poll(int maxCount, Duration maxWait) throws InterruptedException;
}
