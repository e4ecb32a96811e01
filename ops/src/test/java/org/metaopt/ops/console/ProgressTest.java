package org.metaopt.ops.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProgressTest {
  private static List<String> lines(StringWriter w) {
    return w.toString().lines().toList();
  }

  @Test
  void plainModePrintsAboutEveryTenthWithRateAndEtaAndTheLastStep() {
    StringWriter w = new StringWriter();
    Progress p = new Progress(new PrintWriter(w), false);
    try (Progress.Tracker t = p.start("evaluate", 100, "runs")) {
      for (int i = 0; i < 100; i++) {
        t.step("run " + i);
      }
    }
    List<String> lines = lines(w);
    assertEquals(10, lines.size(), w.toString());
    assertTrue(lines.get(0).startsWith("evaluate: 10/100 runs (10%)"), lines.get(0));
    assertTrue(lines.get(0).contains(" runs/s") && lines.get(0).contains(" eta ") && lines.get(0).endsWith("run 9"),
        lines.get(0));
    assertTrue(lines.get(9).startsWith("evaluate: 100/100 runs (100%)"), lines.get(9));
  }

  @Test
  void smallJobsGetALinePerStepAndUnknownTotalsShowTheCount() {
    StringWriter w = new StringWriter();
    Progress p = new Progress(new PrintWriter(w), false);
    try (Progress.Tracker t = p.start("evaluate", 3, "runs")) {
      t.step(null);
      t.step(null);
      t.step(null);
    }
    assertEquals(3, lines(w).size(), w.toString());
    StringWriter u = new StringWriter();
    try (Progress.Tracker t = new Progress(new PrintWriter(u), false).start("train", 0, "meta-steps",
        Duration.ofNanos(1))) {
      t.stepTo(7, "meta-loss 1");
    }
    // a time budget already used up: the fraction is the time's, the ETA what is left of it
    assertTrue(u.toString().startsWith("train: 7 meta-steps (100%)") && u.toString().contains("eta 0s"), u.toString());
  }

  @Test
  void stepListenerReportsTrainingStepsAndIsSilentWhenDisabled() {
    StringWriter w = new StringWriter();
    try (Progress.StepTracker s = new Progress(new PrintWriter(w), false).stepListener(1000)) {
      for (int i = 0; i < 1000; i++) {
        s.onStep(i, 0.5);
      }
    }
    List<String> lines = lines(w);
    assertEquals(10, lines.size(), w.toString());
    assertTrue(lines.get(9).startsWith("train: 1000/1000 steps (100%)") && lines.get(9).endsWith("loss 0.5000"),
        lines.get(9));
    try (Progress.StepTracker s = new Progress(null).stepListener(10)) {
      s.onStep(9, 1);
    }
    new Progress(null).line("nothing happens");
  }
}
