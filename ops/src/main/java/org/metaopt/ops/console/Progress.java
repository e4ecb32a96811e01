package org.metaopt.ops.console;

import java.io.PrintWriter;
import java.time.Duration;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.metaopt.core.train.Trainer;

/**
 * Progress of long work on standard error: a progress bar with rate and ETA (me.tongfei:progressbar) when the
 * process runs in a terminal ({@code System.console() != null}), otherwise plain lines, one about every 10% of the
 * work or every 30 s, so logs and CI stay clean. Silent when built with a null writer ({@code --json}). Standard
 * output is never touched.
 *
 * <p>Single-threaded: one {@link Tracker} at a time, used and closed by the thread that started it.
 */
public final class Progress {
  private static final long PLAIN_EVERY_NANOS = 30_000_000_000L;
  private final PrintWriter err;
  private final boolean terminal;

  /** @param err where plain lines go; null disables progress */
  public Progress(PrintWriter err) {
    this(err, err != null && System.console() != null && !"dumb".equals(System.getenv("TERM")));
  }

  /** @param terminal draw a bar on {@code System.err} rather than plain lines on {@code err} */
  Progress(PrintWriter err, boolean terminal) {
    this.err = err;
    this.terminal = terminal;
  }

  /** Prints one message line (nothing when disabled). */
  public void line(String text) {
    if (err == null) {
      return;
    }
    if (terminal) {
      System.err.println("\r" + text);
      System.err.flush();
    } else {
      err.println(text);
      err.flush();
    }
  }

  /**
   * Starts tracking {@code total} units of work named {@code task} (e.g. "evaluate", unit "runs").
   *
   * @param total units expected; 0 or less when unknown
   * @param budget the wall-clock budget when the work is bounded by time (for the ETA), or null
   */
  public Tracker start(String task, long total, String unit, Duration budget) {
    if (err == null) {
      return new Tracker(null, null, task, total, unit, budget);
    }
    if (terminal) {
      ProgressBar bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(total > 0 ? total : -1)
          .setUnit(" " + unit, 1).showSpeed().setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(500)
          .setConsumer(new ConsoleProgressBarConsumer(System.err)).build();
      return new Tracker(bar, null, task, total, unit, budget);
    }
    return new Tracker(null, err, task, total, unit, budget);
  }

  /** As {@link #start(String, long, String, Duration)} without a time budget. */
  public Tracker start(String task, long total, String unit) {
    return start(task, total, unit, null);
  }

  /** A step listener for one training run of {@code total} steps; close it when the run ends. */
  public StepTracker stepListener(int total) {
    return new StepTracker(start("train", total, "steps"));
  }

  /** Tracks one piece of work; close it when the work ends (also when it ends early). */
  public static final class Tracker implements AutoCloseable {
    private final ProgressBar bar;
    private final PrintWriter plain;
    private final String task;
    private final long total;
    private final String unit;
    private final Duration budget;
    private final long start = System.nanoTime();
    private long done;
    private String message = "";
    private int nextTenth = 1;
    private long lastLine = start;
    private boolean closed;

    private Tracker(ProgressBar bar, PrintWriter plain, String task, long total, String unit, Duration budget) {
      this.bar = bar;
      this.plain = plain;
      this.task = task;
      this.total = total;
      this.unit = unit;
      this.budget = budget;
    }

    /** Sets the extra message shown with the bar (or on the next plain line). */
    public void message(String text) {
      message = text == null ? "" : text;
      if (bar != null) {
        bar.setExtraMessage(barMessage());
      }
    }

    /** One more unit done. */
    public void step(String text) {
      stepTo(done + 1, text);
    }

    /** {@code n} units done in all; {@code text} replaces the message unless null. */
    public void stepTo(long n, String text) {
      done = n;
      if (text != null) {
        message = text;
      }
      if (bar != null) {
        bar.setExtraMessage(barMessage());
        bar.stepTo(n);
      } else if (plain != null) {
        long now = System.nanoTime();
        double fraction = fraction(now);
        boolean tenth = fraction * 10 >= nextTenth;
        if (tenth || now - lastLine >= PLAIN_EVERY_NANOS || (total > 0 && n >= total)) {
          while (fraction * 10 >= nextTenth) {
            nextTenth++;
          }
          lastLine = now;
          plain.println(plainLine(now));
          plain.flush();
        }
      }
    }

    /** Units done so far. */
    public long done() {
      return done;
    }

    @Override
    public void close() {
      if (closed) {
        return;
      }
      closed = true;
      if (bar != null) {
        bar.close();
      }
    }

    private double fraction(long now) {
      double f = total > 0 ? (double) done / total : 0;
      if (budget != null && !budget.isZero()) {
        f = Math.max(f, (now - start) / (double) budget.toNanos());
      }
      return Math.min(f, 1);
    }

    private String barMessage() {
      String left = budget != null ? timeLeft(System.nanoTime()) : "";
      return " " + (left.isEmpty() ? message : left + "  " + message).strip();
    }

    private String timeLeft(long now) {
      long secs = Math.max(0, (budget.toNanos() - (now - start)) / 1_000_000_000L);
      return "time left " + duration(secs);
    }

    private String plainLine(long now) {
      double secs = (now - start) / 1e9;
      double rate = done / Math.max(secs, 1e-9);
      StringBuilder sb = new StringBuilder(task).append(": ").append(done);
      if (total > 0) {
        sb.append('/').append(total);
      }
      sb.append(' ').append(unit);
      double f = fraction(now);
      if (total > 0 || budget != null) {
        sb.append(String.format(" (%.0f%%)", 100 * f));
      }
      sb.append(String.format("  %.3g %s/s", rate, unit));
      double eta = Double.NaN;
      if (total > 0 && done > 0) {
        eta = (total - done) / rate;
      }
      if (budget != null) {
        double left = Math.max(0, budget.toNanos() / 1e9 - secs);
        eta = Double.isNaN(eta) ? left : Math.min(eta, left);
      }
      if (!Double.isNaN(eta)) {
        sb.append("  eta ").append(duration(Math.round(eta)));
      }
      if (!message.isEmpty()) {
        sb.append("  ").append(message);
      }
      return sb.toString();
    }

    private static String duration(long secs) {
      if (secs < 60) {
        return secs + "s";
      }
      if (secs < 3600) {
        return String.format("%dm%02ds", secs / 60, secs % 60);
      }
      return String.format("%dh%02dm", secs / 3600, (secs % 3600) / 60);
    }
  }

  /**
   * Per-step progress of one training run, with the minibatch loss as the message; reports every 1/100 of the run
   * (and the last step) so the training loop does not format a string per step.
   */
  public static final class StepTracker implements Trainer.StepListener, AutoCloseable {
    private final Tracker tracker;
    private final int every;

    private StepTracker(Tracker tracker) {
      this.tracker = tracker;
      this.every = (int) Math.max(1, tracker.total / 100);
    }

    @Override
    public void onStep(int step, double minibatchLoss) {
      int done = step + 1;
      if ((tracker.bar != null || tracker.plain != null) && (done % every == 0 || done == tracker.total)) {
        tracker.stepTo(done, String.format("loss %.4f", minibatchLoss));
      }
    }

    @Override
    public void close() {
      tracker.close();
    }
  }
}
