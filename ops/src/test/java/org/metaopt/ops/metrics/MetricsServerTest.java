package org.metaopt.ops.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.Counter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.metaopt.core.UserError;

class MetricsServerTest {
  private static HttpResponse<String> get(String url) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void servesTheRegistryWithJvmAndProcessMetersInPrometheusTextFormatOnLoopback() throws Exception {
    try (MetricsServer s = MetricsServer.start("127.0.0.1", 0)) {
      Counter.builder("metaopt.test.things").description("things").baseUnit("things").register(s.registry())
          .increment(3);
      assertTrue(s.url().startsWith("http://127.0.0.1:"), s.url());
      HttpResponse<String> r = get(s.url());
      assertEquals(200, r.statusCode());
      assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
      String body = r.body();
      assertTrue(body.contains("metaopt_test_things_total 3.0"), body);
      for (String m : new String[] {"jvm_memory_used_bytes", "jvm_gc_", "jvm_threads_live_threads",
          "process_uptime_seconds", "process_cpu_usage"}) {
        assertTrue(body.contains(m), "no " + m + " in the scrape");
      }
      assertEquals(404, get(s.url().replace("/metrics", "/other")).statusCode());
    }
  }

  @Test
  void aPortInUseIsAUserErrorSayingWhatToDo() {
    try (MetricsServer first = MetricsServer.start("127.0.0.1", 0)) {
      UserError e = assertThrows(UserError.class, () -> MetricsServer.start("127.0.0.1", first.port()));
      assertTrue(e.getMessage().contains("--metrics-port " + first.port()) && e.getMessage().contains("in use"),
          e.getMessage());
    }
    assertThrows(UserError.class, () -> MetricsServer.start("127.0.0.1", 70000));
    assertThrows(UserError.class, () -> MetricsServer.start("no-such-host.invalid", 0));
  }
}
