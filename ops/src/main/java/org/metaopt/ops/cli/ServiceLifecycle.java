package org.metaopt.ops.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Graceful stop for long-running services and the demo. Ctrl-C (SIGINT) and SIGTERM are caught with signal
 * handlers that only ask the service to stop, so the JVM is not shutting down while the service flushes its work,
 * writes its summary and report, and returns normally; a second Ctrl-C exits at once (code 130). A shutdown hook
 * covers every other way the JVM may be asked to exit: it asks the service to stop and waits up to 60 s for it.
 */
final class ServiceLifecycle {
  private final CountDownLatch finished = new CountDownLatch(1);
  private final AtomicBoolean stopping = new AtomicBoolean();
  private final Runnable stop;
  private final Thread hook;

  ServiceLifecycle(Runnable stop) {
    this.stop = stop;
    for (String name : new String[] {"INT", "TERM"}) {
      try {
        sun.misc.Signal.handle(new sun.misc.Signal(name), s -> onSignal());
      } catch (IllegalArgumentException | UnsupportedOperationException e) {
        // signal not available here: the shutdown hook still stops the service
      }
    }
    hook = new Thread(() -> {
      requestStop();
      try {
        finished.await(60, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "metaopt-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
  }

  private void onSignal() {
    if (stopping.get()) {
      System.err.println("metaopt: stopping now");
      Runtime.getRuntime().halt(130);
    }
    System.err.println("metaopt: stopping gracefully (Ctrl-C again to stop at once)");
    requestStop();
  }

  private void requestStop() {
    if (stopping.compareAndSet(false, true)) {
      stop.run();
    }
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
