package org.metaopt.core.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.metaopt.core.meta.EstimatorKind;
import org.metaopt.core.meta.ObjectiveTerms;
import org.metaopt.core.meta.Segment;
import org.junit.jupiter.api.Test;

class InMemoryTransportTest {
  static Segment segment(long version) {
    ObjectiveTerms t = new ObjectiveTerms(1, 0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
    return new Segment(0, 0, 0, true, version, EstimatorKind.PES, 0.1, new long[] {1}, null, 0, 1, new float[] {1},
        new float[] {1}, new float[] {1}, new float[] {1}, t, t, false, false, null);
  }

  @Test
  void sendersBlockWhenTheQueueIsFullUntilTheLearnerPolls() throws Exception {
    InMemoryTransport t = new InMemoryTransport(2);
    t.send(segment(0));
    t.send(segment(0));
    CountDownLatch sent = new CountDownLatch(1);
    Thread producer = new Thread(() -> {
      try {
        t.send(segment(0));
        sent.countDown();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    producer.start();
    assertEquals(false, sent.await(200, TimeUnit.MILLISECONDS), "third send must wait for space");
    assertEquals(2, t.poll(2, Duration.ofMillis(10)).size());
    assertTrue(sent.await(5, TimeUnit.SECONDS));
    producer.join();
    assertEquals(1, t.backlog());
  }

  @Test
  void pollReturnsWhatArrivedWhenTheWaitEnds() throws Exception {
    InMemoryTransport t = new InMemoryTransport(8);
    t.send(segment(0));
    assertEquals(1, t.poll(5, Duration.ofMillis(50)).size());
    assertEquals(0, t.poll(5, Duration.ofMillis(1)).size());
  }

  @Test
  void latestVersionOnlyMovesForward() {
    InMemoryTransport t = new InMemoryTransport(1);
    t.publish(org.metaopt.core.version.OptimizerVersion.of(3, 2, "x", java.util.Map.of(), new float[] {1}, null, null));
    var older = org.metaopt.core.version.OptimizerVersion.of(1, 0, "x", java.util.Map.of(), new float[] {1}, null, null);
    t.publish(older);
    assertEquals(3, t.latest().orElseThrow().version());
  }
}
