package org.metaopt.metalearner;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.reactivestreams.Subscription;
import reactor.core.publisher.BaseSubscriber;

/**
 * The learner's windows between the consumer's poll thread and the learner thread, with demand: at most
 * {@code credit} windows wait. {@link #coalesce} joins the windows already waiting to the one taken (up to
 * {@code window.maxSegments} records), so a learner slower than its producers takes larger windows instead of
 * reading a backlog that goes stale. One thread takes from it.
 */
final class WindowQueue<T> extends BaseSubscriber<List<T>> {
  private static final List<?> END = Collections.unmodifiableList(new ArrayList<>());
  private static final Object COMPLETE = new Object();
  private final LinkedBlockingQueue<Object> items = new LinkedBlockingQueue<>();
  private final int credit;

  WindowQueue(int credit) {
    this.credit = credit;
  }

  /** What {@link #next} returns once the stream has ended (compare by identity). */
  @SuppressWarnings("unchecked")
  static <T> List<T> end() {
    return (List<T>) END;
  }

  @Override
  protected void hookOnSubscribe(Subscription s) {
    s.request(credit);
  }

  @Override
  protected void hookOnNext(List<T> w) {
    items.add(w);
  }

  @Override
  protected void hookOnError(Throwable t) {
    items.add(t);
  }

  @Override
  protected void hookOnComplete() {
    items.add(COMPLETE);
  }

  /** The next window, null after {@code wait} without one, {@link #end()} when the stream ended; throws its error. */
  @SuppressWarnings("unchecked")
  List<T> next(Duration wait) {
    Object o;
    try {
      o = items.poll(wait.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("learner interrupted", e);
    }
    if (o == null) {
      return null;
    }
    if (o == COMPLETE) {
      items.add(COMPLETE);
      return end();
    }
    if (o instanceof Throwable t) {
      items.add(t);
      throw t instanceof RuntimeException re ? re : new IllegalStateException(t.getMessage(), t);
    }
    request(1);
    return (List<T>) o;
  }

  /** {@code first} followed by the windows already waiting, in order, while the total stays within {@code max}. */
  @SuppressWarnings("unchecked")
  List<T> coalesce(List<T> first, int max) {
    List<T> out = first;
    for (Object o = items.peek(); o instanceof List<?> l && out.size() + l.size() <= max; o = items.peek()) {
      if (out == first) {
        out = new ArrayList<>(first);
      }
      items.poll(); // only this thread takes from the queue, so it is still o
      out.addAll((List<T>) l);
      request(1);
    }
    return out;
  }
}
