package org.metaopt.ops.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The load check itself: a figure whose image cannot be decoded is not counted as loaded. */
class HtmlReportBrowserTest {
  @TempDir Path dir;

  @Test
  void aCorruptImageIsNotCountedAsLoaded() throws Exception {
    HtmlReport r = new HtmlReport("control")
        .figure(Plots.line("good", "x", "y", List.of(Series.of("a", new double[] {1, 2, 3})), false))
        .figure(new Figure(new byte[] {1, 2, 3, 4, 5}, 10, 10, "corrupt"));
    Path html = r.write(dir.resolve("control.html"));
    HeadlessChromium chromium = new HeadlessChromium(dir);
    assertArrayEquals(new int[] {2, 1}, HeadlessChromium.figures(chromium.dumpDom(html)));
  }
}
