package org.metaopt.ops.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HtmlReportTest {
  @TempDir Path dir;

  static List<BufferedImage> embeddedImages(String html) throws Exception {
    List<BufferedImage> out = new ArrayList<>();
    Matcher m = Pattern.compile("src=\"data:image/png;base64,([A-Za-z0-9+/=]+)\"").matcher(html);
    while (m.find()) {
      out.add(ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(m.group(1)))));
    }
    return out;
  }

  static int distinctColours(BufferedImage img) {
    java.util.Set<Integer> seen = new java.util.HashSet<>();
    for (int y = 0; y < img.getHeight(); y += 3) {
      for (int x = 0; x < img.getWidth(); x += 3) {
        seen.add(img.getRGB(x, y));
      }
    }
    return seen.size();
  }

  @Test
  void writesOneFileWithEveryFigureEmbeddedAsADecodablePngAndTextEscaped() throws Exception {
    double[] y = {4, 2, 1, 0.5, 0.25, 0.2};
    HtmlReport r = new HtmlReport("loss <curves> & more")
        .keyValues(Map.of("suite", "tiny"))
        .section("Curves")
        .paragraph("a < b")
        .figure(Plots.line("two series", "step", "loss", List.of(Series.of("adam", y), Series.of("sgd",
            new double[] {4, 3, 2.5, 2, 1.9, 1.8})), true))
        .figure(Plots.bars("bars", "trace", List.of("q", "b"), List.of("learned", "adam"),
            List.of(new double[] {1, 2}, new double[] {3, Double.NaN})))
        .table(List.of("task", "loss"), List.of(List.of("q", "0.5")));
    Path file = r.write(dir.resolve("sub/report.html"));
    String html = Files.readString(file);
    assertEquals(2, r.figureCount());
    assertTrue(html.contains("data-figures=\"2\""));
    assertTrue(html.contains("<title>loss &lt;curves&gt; &amp; more</title>"));
    assertTrue(html.contains("<p>a &lt; b</p>"));
    assertFalse(html.contains("src=\"http"), "self-contained: no external images");
    List<BufferedImage> imgs = embeddedImages(html);
    assertEquals(2, imgs.size());
    for (BufferedImage img : imgs) {
      assertNotNull(img);
      assertEquals(Plots.WIDTH, img.getWidth());
      assertTrue(distinctColours(img) > 10, "a plot, not a blank image");
    }
  }

  @Test
  void logScaleDropsNonPositiveAndNonFinitePointsAndFallsBackToLinearWhenNothingIsPositive() throws Exception {
    Figure mixed = Plots.line("mixed", "step", "loss", List.of(Series.of("a",
        new double[] {1, 0, -1, Double.NaN, 0.1, Double.POSITIVE_INFINITY})), true);
    assertEquals(Plots.HEIGHT, ImageIO.read(new ByteArrayInputStream(mixed.png())).getHeight());
    Figure negative = Plots.line("negative", "version", "meta-loss", List.of(Series.of("a",
        new double[] {-1, -2, -3})), true);
    assertEquals(Plots.HEIGHT, ImageIO.read(new ByteArrayInputStream(negative.png())).getHeight());
    Figure wide = Plots.line("thirty decades", "step", "loss", List.of(Series.of("a",
        new double[] {1, 1e-10, 1e-20, 1e-30})), true);
    assertEquals(Plots.HEIGHT, ImageIO.read(new ByteArrayInputStream(wide.png())).getHeight());
    Figure empty = Plots.line("empty", "x", "y", List.of(Series.of("a", new double[] {Double.NaN})), false);
    assertTrue(ImageIO.read(new ByteArrayInputStream(empty.png())).getHeight() < Plots.HEIGHT,
        "a placeholder says there is nothing to plot");
  }

  @Test
  void movingAverageIsTrailingAndSkipsNaN() {
    Series s = Series.of("m", new double[] {1, 3, Double.NaN, 5, 7}).movingAverage("avg", 2);
    assertEquals(1, s.y()[0]);
    assertEquals(2, s.y()[1]);
    assertEquals(2, s.y()[2]);
    assertEquals(4, s.y()[3]);
    assertEquals(6, s.y()[4]);
  }

  @Test
  void rejectsMismatchedShapes() {
    assertThrows(IllegalArgumentException.class, () -> new Series("x", new double[2], new double[3]));
    assertThrows(IllegalArgumentException.class, () -> new HtmlReport("t").table(List.of("a", "b"),
        List.of(List.of("1"))));
    assertThrows(IllegalArgumentException.class, () -> Plots.bars("b", "y", List.of("q"), List.of("a"),
        List.of(new double[2])));
  }
}
