package org.metaopt.ops.cli;

import java.util.concurrent.CountDownLatch;

/**
 * Graceful stop for long-running services: SIGTERM or Ctrl-C runs {@code stop}, then waits (up to 60 s) for the
 * service's main loop to report that it finished, so the JVM exits only after the service flushed its work.
 */
final class ServiceLifecycle {
  private final CountDownLatch finished = new CountDownLatch(1);
  private final Thread hook;

  ServiceLifecycle(Runnable stop) {
    hook = new Thread(() -> {
      stop.run();
      try {
        finished.await(60, java.util.concurrent.TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "metaopt-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
  }

  /** The service's main loop has ended (normally or not). */
  void finished() {
    finished.countDown();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // already shutting down: the hook is waiting for us
    }
  }
}
