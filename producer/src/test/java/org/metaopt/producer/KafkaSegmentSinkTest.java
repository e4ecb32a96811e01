package org.metaopt.producer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.metaopt.core.meta.EstimatorKind;
import org.metaopt.core.meta.ObjectiveTerms;
import org.metaopt.core.meta.Segment;
import org.metaopt.stream.kafka.KafkaSettings;

/** Stopping a sink whose broker is gone: bounded, and it says once what it waits for and for how long. */
@Timeout(60)
class KafkaSegmentSinkTest {
  private static Segment segment(long particle) {
    ObjectiveTerms t = new ObjectiveTerms(1.0, 1.0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
    return new Segment(particle, particle, 0, true, 0, EstimatorKind.FULL_ES, 0.01, new long[] {particle}, null, 0, 1,
        new float[] {1}, new float[] {1}, new float[] {1}, new float[] {1}, t, t, false, false, null);
  }

  @Test
  void aStopWithTheBrokerGoneSaysOnceWhatItWaitsForAndHowLong() throws Exception {
    KafkaSegmentSink sink = new KafkaSegmentSink(KafkaSettings.of("127.0.0.1:1"), "test-sink", 8, 4);
    for (int i = 0; i < 3; i++) {
      sink.send(segment(i));
    }
    List<String> said = new CopyOnWriteArrayList<>();
    long t0 = System.nanoTime();
    sink.close(Duration.ofSeconds(2), said::add);
    double seconds = (System.nanoTime() - t0) / 1e9;
    assertTrue(seconds < 15, "the stop is bounded: " + seconds + " s");
    assertEquals(2, said.size(), "what it waits for, then what it gave up: " + said);
    assertEquals("waiting up to 2 s for the broker at 127.0.0.1:1 to acknowledge 3 segments (Ctrl-C again to stop "
        + "at once)", said.get(0));
    assertEquals("gave up after 2 s: 3 segments were not acknowledged by 127.0.0.1:1", said.get(1));
  }

  @Test
  void aStopWithNothingInFlightSaysNothing() {
    KafkaSegmentSink sink = new KafkaSegmentSink(KafkaSettings.of("127.0.0.1:1"), "test-sink-idle", 8, 4);
    List<String> said = new CopyOnWriteArrayList<>();
    sink.close(Duration.ofSeconds(2), said::add);
    assertTrue(said.isEmpty(), said.toString());
  }
}
