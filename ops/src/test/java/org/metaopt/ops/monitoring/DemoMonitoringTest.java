package org.metaopt.ops.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.metaopt.ops.metrics.MetricsServer;
import org.metaopt.ops.pipeline.Demo;
import org.metaopt.ops.report.HeadlessChromium;

/**
 * One short demo run (synthetic tasks) watched by a real Prometheus (Debian's {@code prometheus}; the test fails,
 * never skips, when it is missing): Prometheus scrapes the demo's single endpoint every second with the shipped
 * {@code ops/monitoring/prometheus-demo.yml}, and every query of every panel of the shipped Grafana dashboard must
 * return data through Prometheus' HTTP API while the demo runs. When the demo has finished, its report must show
 * every plot in headless chromium. One demo run serves both checks to keep CI short.
 */
@Timeout(300)
class DemoMonitoringTest {
  /** ops/monitoring, whether the tests run in ops/ (Maven) or in the repository root (an IDE). */
  private static final Path MONITORING = Files.isDirectory(Path.of("monitoring")) ? Path.of("monitoring")
      : Path.of("ops", "monitoring");
  private static final Path DASHBOARD = MONITORING.resolve("grafana/dashboards/metaopt.json");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @TempDir static Path dir;
  private static final Map<String, Integer> seriesPerQuery = new LinkedHashMap<>();
  private static final Map<String, String> queryErrors = new LinkedHashMap<>();
  private static Demo.Result demoResult;
  private static final List<io.micrometer.core.instrument.Meter.Id> meters = new ArrayList<>();
  private static Process prometheus;

  /** The Prometheus binary: $METAOPT_PROMETHEUS or /usr/bin/prometheus; fails with how to install it. */
  static Path prometheusBinary() {
    String env = System.getenv("METAOPT_PROMETHEUS");
    Path p = Path.of(env != null && !env.isBlank() ? env : "/usr/bin/prometheus");
    if (!Files.isExecutable(p)) {
      fail("Prometheus not found at " + p + ": install it with 'apt-get install -y --no-install-recommends "
          + "prometheus' (.ci/run does) or set METAOPT_PROMETHEUS");
    }
    return p;
  }

  /** Every panel's query ({@code targets[].expr}) of the dashboard, with Grafana's interval macro filled in. */
  static List<String> dashboardQueries() throws IOException {
    List<String> out = new ArrayList<>();
    for (JsonNode panel : JSON.readTree(DASHBOARD.toFile()).path("panels")) {
      for (JsonNode target : panel.path("targets")) {
        String expr = target.path("expr").asText("");
        if (expr.isBlank()) {
          throw new AssertionError("panel '" + panel.path("title").asText() + "' has a target without a query");
        }
        out.add(expr.replace("$__rate_interval", "10s"));
      }
    }
    return out;
  }

  @BeforeAll
  static void runDemoUnderPrometheus() throws Exception {
    Path binary = prometheusBinary();
    List<String> queries = dashboardQueries();
    assertTrue(queries.size() >= 30, "the dashboard has only " + queries.size() + " queries");
    MetricsServer metrics = MetricsServer.start("127.0.0.1", 0);
    Demo demo = new Demo(dir.resolve("run"), Duration.ofMinutes(4), 1, 5, dir.resolve("no-fashion-mnist"),
        dir.resolve("cache"), new PrintWriter(Files.newBufferedWriter(dir.resolve("demo.out")), true))
        .metrics(metrics.registry());
    AtomicReference<Throwable> failed = new AtomicReference<>();
    Thread runner = new Thread(() -> {
      try {
        demoResult = demo.run();
      } catch (Throwable t) {
        failed.set(t);
      }
    }, "demo-under-prometheus");
    runner.start();
    try {
      int port = freePort();
      Path config = dir.resolve("prometheus.yml");
      String shipped = Files.readString(MONITORING.resolve("prometheus-demo.yml"));
      assertTrue(shipped.contains("'127.0.0.1:9464'"), "prometheus-demo.yml no longer targets 127.0.0.1:9464");
      Files.writeString(config, shipped.replace("'127.0.0.1:9464'", "'127.0.0.1:" + metrics.port() + "'")
          .replaceAll("(scrape_interval|evaluation_interval): 5s", "$1: 1s"));
      prometheus = new ProcessBuilder(binary.toString(), "--config.file=" + config,
          "--storage.tsdb.path=" + dir.resolve("tsdb"), "--web.listen-address=127.0.0.1:" + port,
          "--log.level=warn").redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile())
          .start();
      String api = "http://127.0.0.1:" + port;
      await("Prometheus to be ready (log: " + dir.resolve("prometheus.log") + ")", Duration.ofSeconds(60),
          () -> get(api + "/-/ready") == 200);
      // poll until every query has data, the demo fails, or two minutes pass (then report what is missing)
      long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
      List<String> pending = new ArrayList<>(queries);
      while (!pending.isEmpty() && failed.get() == null && System.nanoTime() < deadline) {
        Thread.sleep(1000);
        for (var it = pending.iterator(); it.hasNext(); ) {
          String q = it.next();
          int n = query(api, q);
          seriesPerQuery.put(q, n);
          if (n > 0) {
            it.remove();
          }
        }
      }
    } finally {
      metrics.registry().getMeters().forEach(m -> meters.add(m.getId())); // while the services run
      demo.stop();
      runner.join(Duration.ofMinutes(3).toMillis());
      metrics.close();
    }
    if (failed.get() != null) {
      throw new AssertionError("the demo failed (output in " + dir.resolve("demo.out") + ")", failed.get());
    }
  }

  @AfterAll
  static void stopPrometheus() throws InterruptedException {
    if (prometheus != null) {
      prometheus.destroy();
      if (!prometheus.waitFor(20, TimeUnit.SECONDS)) {
        prometheus.destroyForcibly();
      }
    }
  }

  @Test
  void everyDashboardPanelQueryReturnsDataFromARealPrometheus() throws IOException {
    List<String> queries = dashboardQueries();
    assertEquals(queries.size(), seriesPerQuery.size(), "queries run");
    assertTrue(queryErrors.isEmpty(), "Prometheus rejected queries: " + queryErrors);
    List<String> empty = queries.stream().filter(q -> seriesPerQuery.get(q) == 0).toList();
    assertTrue(empty.isEmpty(), "dashboard queries without data: " + empty);
  }

  @Test
  void everyMetaoptMeterIsNamedByServiceDescribedDocumentedAndTaggedFromBoundedSets() {
    List<io.micrometer.core.instrument.Meter.Id> ours = meters.stream()
        .filter(id -> id.getName().startsWith("metaopt.")).toList();
    for (String service : List.of("producer", "learner", "evaluator")) {
      assertTrue(ours.stream().anyMatch(id -> id.getName().startsWith("metaopt." + service + ".")),
          "no metaopt." + service + ".* meter");
    }
    assertTrue(meters.stream().anyMatch(id -> id.getName().startsWith("kafka.producer.")), "no Kafka producer meters");
    assertTrue(meters.stream().anyMatch(id -> id.getName().startsWith("kafka.consumer.")), "no Kafka consumer meters");
    String reference;
    try {
      reference = Files.readString(MONITORING.toAbsolutePath().getParent().getParent().resolve("docs/metrics.md"));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    for (var id : ours) {
      assertTrue(reference.contains("| `" + id.getName() + "` |"), "docs/metrics.md has no row for " + id.getName());
      assertTrue(id.getName().matches("metaopt\\.(producer|learner|evaluator)\\.[a-z.]+"), id.getName());
      assertTrue(id.getDescription() != null && !id.getDescription().isBlank(), id.getName() + ": no description");
      for (var tag : id.getTags()) {
        assertTrue(List.of("outcome", "term", "metric", "task", "optimizer", "bound").contains(tag.getKey()),
            id.getName() + " has an unexpected tag " + tag);
        assertFalse(tag.getValue().matches("\\d+"), id.getName() + " has a number as a tag value: " + tag);
      }
    }
  }

  /** summary.json and summary.md carry the footprint: heap after GC and live threads from the start to the end. */
  @Test
  void demoSummaryReportsHeapAfterGcAndLiveThreadsAtStartAndEnd() throws IOException {
    JsonNode jvm = JSON.readTree(demoResult.runDir().resolve("summary.json").toFile()).path("jvm");
    assertTrue(jvm.isArray() && jvm.size() >= 2, "summary.json's jvm samples: " + jvm);
    JsonNode start = jvm.get(0);
    JsonNode end = jvm.get(jvm.size() - 1);
    assertTrue(end.path("seconds").asLong() > start.path("seconds").asLong(), "samples out of order: " + jvm);
    for (JsonNode s : jvm) {
      double heap = s.path("heapAfterGcMiB").asDouble();
      assertTrue(heap > 1 && heap < 3072, "heap after GC " + heap + " MiB");
      // the broker, three services and their Kafka clients run threads; none of them is gone at the end
      assertTrue(s.path("liveThreads").asInt() >= 10, "live threads " + s);
      assertTrue(s.path("peakThreads").asInt() >= s.path("liveThreads").asInt(), "peak below live: " + s);
    }
    String md = Files.readString(demoResult.runDir().resolve("summary.md"));
    assertTrue(md.contains("JVM footprint") && md.contains("live threads"), "summary.md lacks the footprint");
  }

  @Test
  void shippedScrapeConfigsAreValid() throws Exception {
    Path promtool = prometheusBinary().resolveSibling("promtool");
    for (String f : List.of("prometheus-demo.yml", "prometheus-services.yml")) {
      Process p = new ProcessBuilder(promtool.toString(), "check", "config", MONITORING.resolve(f).toString())
          .redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(p.waitFor(60, TimeUnit.SECONDS), "promtool did not finish");
      assertEquals(0, p.exitValue(), f + ": " + out);
    }
  }

  @Test
  void demoReportShowsEveryPlotInHeadlessChromium() throws Exception {
    Path report = demoResult.runDir().resolve("report.html");
    HeadlessChromium chromium = new HeadlessChromium(dir.resolve("chromium"));
    Files.createDirectories(dir.resolve("chromium"));
    int[] figures = HeadlessChromium.figures(chromium.dumpDom(report));
    assertTrue(figures[0] >= 4, "the demo report has " + figures[0] + " figures; expected meta-training curves "
        + "and the held-out evaluations over versions");
    assertEquals(figures[0], figures[1], "figures whose image loaded in chromium");
    BufferedImage shot = chromium.screenshot(report, dir.resolve("demo-report.png"));
    assertEquals(1200, shot.getWidth());
    assertTrue(HeadlessChromium.distinctColours(shot) > 50, "the screenshot of the demo report looks blank");
  }

  /** Runs an instant query; returns the number of series (or samples) in the result. */
  private static int query(String api, String q) throws Exception {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(api + "/api/v1/query?query="
        + URLEncoder.encode(q, StandardCharsets.UTF_8))).timeout(Duration.ofSeconds(10)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    JsonNode body = JSON.readTree(r.body());
    if (!"success".equals(body.path("status").asText())) {
      queryErrors.put(q, body.path("error").asText(r.body()));
      return 0;
    }
    JsonNode result = body.path("data").path("result");
    return "scalar".equals(body.path("data").path("resultType").asText()) ? 1 : result.size();
  }

  private static int get(String url) {
    try {
      return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
          HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static void await(String what, Duration timeout, java.util.function.BooleanSupplier ok)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!ok.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(200);
    }
  }
}
