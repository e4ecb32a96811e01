package org.metaopt.ops.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The train progress line averages the windows that carried a meta-gradient, not the latest window alone. */
class TrainProgressMessageTest {

  @Test
  void windowsWithoutAGradientDoNotDragTheMeanToZero() {
    TrainCommand.RecentWindows w = new TrainCommand.RecentWindows();
    assertEquals("meta-loss -  |g| -", w.message(Map.of("metaLoss", 0.0, "gradientNorm", 0.0)));
    w.message(Map.of("metaLoss", -2.0, "gradientNorm", 10.0));
    w.message(Map.of("metaLoss", 0.0, "gradientNorm", 0.0));
    String m = w.message(Map.of("metaLoss", -3.0, "gradientNorm", 30.0, "heldOutScore", 0.5));
    assertEquals("meta-loss -2.5000  |g| 20.0 (last 2 windows with a gradient)  held-out 0.5000", m);
  }

  @Test
  void onlyTheLastHundredCount() {
    TrainCommand.RecentWindows w = new TrainCommand.RecentWindows();
    for (int i = 0; i < 150; i++) {
      w.message(Map.of("metaLoss", i < 50 ? 100.0 : 1.0, "gradientNorm", 1.0));
    }
    assertEquals("meta-loss 1.0000  |g| 1.00 (last 100 windows with a gradient)",
        w.message(Map.of("metaLoss", 0.0, "gradientNorm", 0.0)));
  }
}
