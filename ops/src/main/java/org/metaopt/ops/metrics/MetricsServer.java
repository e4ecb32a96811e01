package org.metaopt.ops.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.metaopt.core.UserError;

/**
 * A Prometheus registry with the JVM and process binders (memory, GC, threads, class loading, CPU, uptime, file
 * descriptors) and the JDK's HTTP server answering {@code GET /metrics} with the registry's scrape in the Prometheus
 * text format. The services register their own meters in {@link #registry()}. One daemon thread serves requests;
 * {@link #close()} stops the server and the GC binder. Port 0 binds a free port (see {@link #port()}).
 */
public final class MetricsServer implements AutoCloseable {
  public static final String PATH = "/metrics";

  /** The requested port is taken by another process. */
  public static final class PortInUse extends UserError {
    PortInUse(String message) {
      super(message);
    }
  }

  private final PrometheusMeterRegistry registry;
  private final JvmGcMetrics gc;
  private final HttpServer server;
  private final ExecutorService executor;

  private MetricsServer(PrometheusMeterRegistry registry, JvmGcMetrics gc, HttpServer server,
      ExecutorService executor) {
    this.registry = registry;
    this.gc = gc;
    this.server = server;
    this.executor = executor;
  }

  /**
   * Starts serving on {@code bind:port}.
   *
   * @throws UserError when the address is unknown or the port is in use
   */
  public static MetricsServer start(String bind, int port) {
    if (port < 0 || port > 65535) {
      throw new UserError("--metrics-port " + port + " must be in 0..65535 (0: any free port)");
    }
    InetAddress address;
    try {
      address = InetAddress.getByName(bind);
    } catch (UnknownHostException e) {
      throw new UserError("--metrics-bind " + bind + ": unknown host; give an address such as 127.0.0.1 or 0.0.0.0");
    }
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(address, port), 16);
    } catch (BindException e) {
      throw new PortInUse("--metrics-port " + port + " on " + bind + " is in use (" + e.getMessage()
          + "); pass another --metrics-port, 0 for any free port, or --no-metrics");
    } catch (IOException e) {
      throw new UserError("cannot serve metrics on " + bind + ":" + port + ": " + e.getMessage());
    }
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new JvmMemoryMetrics().bindTo(registry);
    JvmGcMetrics gc = new JvmGcMetrics();
    gc.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    new FileDescriptorMetrics().bindTo(registry);
    server.createContext(PATH, ex -> serve(registry, ex));
    ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "metaopt-metrics-http");
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(executor);
    server.start();
    return new MetricsServer(registry, gc, server, executor);
  }

  private static void serve(PrometheusMeterRegistry registry, HttpExchange ex) throws IOException {
    try (ex) {
      if (!"GET".equals(ex.getRequestMethod()) && !"HEAD".equals(ex.getRequestMethod())) {
        ex.sendResponseHeaders(405, -1);
        return;
      }
      byte[] body = registry.scrape().getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
      if ("HEAD".equals(ex.getRequestMethod())) {
        ex.sendResponseHeaders(200, -1);
        return;
      }
      ex.sendResponseHeaders(200, body.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(body);
      }
    }
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** The bound port (the chosen one when started with 0). */
  public int port() {
    return server.getAddress().getPort();
  }

  /** {@code http://HOST:PORT/metrics}. */
  public String url() {
    InetSocketAddress a = server.getAddress();
    String host = a.getAddress().isAnyLocalAddress() ? "127.0.0.1" : a.getAddress().getHostAddress();
    return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort() + PATH;
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
    gc.close();
    registry.close();
  }
}
