package org.metaopt.ops.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;

/**
 * Test helper: renders a report in headless Debian chromium ({@code /usr/bin/chromium}, or $METAOPT_CHROMIUM) and
 * reads back what the page's load script recorded. Fails (never skips) when chromium is missing, because CI
 * installs it. One instance per test; every run gets a fresh profile folder.
 */
public final class HeadlessChromium {
  private static final Pattern FIGURES = Pattern.compile("<body[^>]*\\bdata-figures=\"(\\d+)\"");
  private static final Pattern LOADED = Pattern.compile("<body[^>]*\\bdata-figures-loaded=\"(\\d*)\"");
  private final Path binary;
  private final Path work;
  private int runs;

  /** @param work a scratch folder (profiles and chromium's stderr go there) */
  public HeadlessChromium(Path work) {
    String env = System.getenv("METAOPT_CHROMIUM");
    this.binary = Path.of(env != null && !env.isBlank() ? env : "/usr/bin/chromium");
    if (!Files.isExecutable(binary)) {
      fail("headless chromium not found at " + binary + ": install it with 'apt-get install -y "
          + "--no-install-recommends chromium' (.ci/run does) or set METAOPT_CHROMIUM");
    }
    this.work = work;
  }

  /** The page's DOM after the load event (and its script) ran. */
  public String dumpDom(Path html) throws Exception {
    return run(html, "--dump-dom", "--virtual-time-budget=10000");
  }

  /** A screenshot of the page at 1200x2000 pixels, decoded. */
  public BufferedImage screenshot(Path html, Path png) throws Exception {
    run(html, "--screenshot=" + png.toAbsolutePath(), "--window-size=1200,2000", "--hide-scrollbars");
    assertTrue(Files.isRegularFile(png), "chromium wrote no screenshot " + png);
    BufferedImage img = ImageIO.read(png.toFile());
    assertTrue(img != null, "the screenshot " + png + " is not a decodable image");
    return img;
  }

  /** {figures the page has, figures whose image loaded} as recorded on {@code <body>}. */
  public static int[] figures(String dom) {
    Matcher f = FIGURES.matcher(dom);
    Matcher l = LOADED.matcher(dom);
    assertTrue(f.find(), "no data-figures on <body> in the dumped DOM");
    assertTrue(l.find(), "no data-figures-loaded on <body> in the dumped DOM");
    assertTrue(!l.group(1).isEmpty(), "the page's load script did not run (data-figures-loaded is empty)");
    return new int[] {Integer.parseInt(f.group(1)), Integer.parseInt(l.group(1))};
  }

  /** Asserts the page declares {@code expected} figures and all of them loaded in the browser. */
  public void assertAllFiguresLoaded(Path html, int expected) throws Exception {
    int[] f = figures(dumpDom(html));
    assertEquals(expected, f[0], "figures in " + html);
    assertEquals(expected, f[1], "figures whose image loaded in chromium, of " + expected + " in " + html);
  }

  /** Distinct colours on a 4-pixel grid (a blank page has one). */
  public static int distinctColours(BufferedImage img) {
    java.util.Set<Integer> seen = new java.util.HashSet<>();
    for (int y = 0; y < img.getHeight(); y += 4) {
      for (int x = 0; x < img.getWidth(); x += 4) {
        seen.add(img.getRGB(x, y) & 0xFFFFFF);
      }
    }
    return seen.size();
  }

  private String run(Path html, String... args) throws Exception {
    int n = ++runs;
    Path profile = Files.createDirectories(work.resolve("chromium-profile-" + n));
    Path err = work.resolve("chromium-" + n + ".err");
    List<String> cmd = new ArrayList<>(List.of(binary.toString(), "--headless", "--no-sandbox", "--disable-gpu",
        "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--user-data-dir=" + profile.toAbsolutePath()));
    cmd.addAll(List.of(args));
    cmd.add(html.toAbsolutePath().toUri().toString());
    Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(
        Path.of("/dev/null").toFile())).start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail("chromium did not exit: " + String.join(" ", cmd));
    }
    if (p.exitValue() != 0) {
      fail("chromium exited with " + p.exitValue() + ": " + String.join(" ", cmd) + "\n" + tail(err));
    }
    return new String(out, StandardCharsets.UTF_8);
  }

  private static String tail(Path file) throws IOException {
    List<String> lines = Files.readAllLines(file);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 10), lines.size()));
  }
}
