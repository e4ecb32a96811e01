package org.metaopt.core.transport;

import org.metaopt.core.meta.Segment;

/** Where workers send trajectory segments. Implementations are thread-safe and bounded: {@link #send} blocks when full. */
public interface SegmentSink {

  /** Sends one segment, waiting while the transport is full. */
  void send(Segment segment) throws InterruptedException;
}
