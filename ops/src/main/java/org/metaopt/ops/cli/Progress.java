package org.metaopt.ops.cli;

import org.metaopt.core.train.Trainer;

/**
 * Plain progress lines on standard error (about every 10% of a run, with rate and ETA); silent when disabled
 * (for {@code --json}). Single-threaded use.
 */
final class Progress {
  private final java.io.PrintWriter err;

  /** @param err where lines go; null disables progress */
  Progress(java.io.PrintWriter err) {
    this.err = err;
  }

  void line(String text) {
    if (err != null) {
      err.println(text);
      err.flush();
    }
  }

  Trainer.StepListener stepListener(int total) {
    if (err == null) {
      return null;
    }
    long start = System.nanoTime();
    int every = Math.max(1, total / 10);
    return (step, loss) -> {
      int done = step + 1;
      if (done % every == 0 || done == total) {
        double secs = (System.nanoTime() - start) / 1e9;
        double rate = done / Math.max(secs, 1e-9);
        line(String.format("step %d/%d  loss %.4f  %.1f steps/s  eta %.0fs", done, total, loss, rate,
            (total - done) / rate));
      }
    };
  }
}
