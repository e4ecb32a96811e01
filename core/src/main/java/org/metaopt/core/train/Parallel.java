package org.metaopt.core.train;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * Runs independent jobs {@code 0..n-1} on a few threads and waits for all of them: how the tuner and the suite
 * evaluator run their training runs side by side. Each job writes its own slot of a result array, so the outcome
 * does not depend on the thread count or the order the jobs finish in. The first job's exception is rethrown
 * (a {@link RuntimeException} as is) after the others stop. Stateless.
 */
public final class Parallel {
  private Parallel() {}

  /** Calls {@code job.accept(k)} for every {@code k} in {@code 0..n-1}, on up to {@code threads} threads. */
  public static void forEach(int n, int threads, IntConsumer job) {
    int t = Math.min(Math.max(1, threads), n);
    if (t <= 1) {
      for (int k = 0; k < n; k++) {
        job.accept(k);
      }
      return;
    }
    AtomicInteger next = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(t, r -> {
      Thread th = new Thread(r, "metaopt-run-" + next.get());
      th.setDaemon(true);
      return th;
    });
    AtomicInteger cursor = new AtomicInteger();
    try {
      Future<?>[] futures = new Future<?>[t];
      for (int i = 0; i < t; i++) {
        futures[i] = pool.submit(() -> {
          for (int k = cursor.getAndIncrement(); k < n; k = cursor.getAndIncrement()) {
            job.accept(k);
          }
        });
      }
      for (Future<?> f : futures) {
        try {
          f.get();
        } catch (ExecutionException e) {
          cursor.set(n);
          Throwable cause = e.getCause();
          if (cause instanceof RuntimeException re) {
            throw re;
          }
          if (cause instanceof Error err) {
            throw err;
          }
          throw new IllegalStateException(cause);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for training runs", e);
    } finally {
      pool.shutdownNow();
    }
  }
}
