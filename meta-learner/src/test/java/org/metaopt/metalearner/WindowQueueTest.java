package org.metaopt.metalearner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/** The learner's window queue: joins waiting windows in order up to a maximum, with bounded demand. */
class WindowQueueTest {
  private static final Duration WAIT = Duration.ofSeconds(5);

  @Test
  void joinsTheWaitingWindowsInOrderWithinTheMaximum() {
    WindowQueue<Integer> q = new WindowQueue<>(4);
    Flux.just(List.of(1, 2), List.of(3, 4), List.of(5, 6), List.of(7, 8), List.of(9)).subscribe(q);
    assertEquals(List.of(1, 2, 3, 4), q.coalesce(q.next(WAIT), 5)); // 5, 6 would make 6 > 5
    assertEquals(List.of(5, 6, 7, 8, 9), q.coalesce(q.next(WAIT), 100));
    assertSame(WindowQueue.<Integer>end(), q.next(WAIT));
    assertSame(WindowQueue.<Integer>end(), q.next(WAIT));
  }

  @Test
  void aFullWindowIsNotSplitAndDemandStaysBounded() {
    Sinks.Many<List<Integer>> sink = Sinks.many().unicast().onBackpressureBuffer();
    WindowQueue<Integer> q = new WindowQueue<>(2);
    sink.asFlux().subscribe(q);
    for (int i = 0; i < 5; i++) {
      sink.tryEmitNext(List.of(2 * i, 2 * i + 1));
    }
    // only 2 windows were requested: the first and one more wait, the rest stay upstream
    assertEquals(List.of(0, 1, 2, 3), q.coalesce(q.next(WAIT), 5));
    // taking those two requested two more; the next window would make 4 > 3
    assertEquals(List.of(4, 5), q.coalesce(q.next(WAIT), 3));
    assertEquals(List.of(6, 7, 8, 9), q.coalesce(q.next(WAIT), 4));
    assertNull(q.next(Duration.ofMillis(50)));
    sink.tryEmitError(new IllegalStateException("broker gone"));
    assertEquals("broker gone", assertThrows(IllegalStateException.class, () -> q.next(WAIT)).getMessage());
    assertThrows(IllegalStateException.class, () -> q.next(WAIT)); // and again: the session must end
  }
}
