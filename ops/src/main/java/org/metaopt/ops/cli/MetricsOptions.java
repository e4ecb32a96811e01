package org.metaopt.ops.cli;

import java.io.PrintWriter;
import org.metaopt.ops.metrics.MetricsServer;
import picocli.CommandLine.Option;

/** The Prometheus endpoint options every service command shares; each command has its own default port. */
final class MetricsOptions {
  @Option(names = "--metrics-port", paramLabel = "PORT",
      description = "Serve Prometheus metrics on http://BIND:PORT/metrics (default: 9464 demo and producer, 9465 "
          + "learner, 9466 evaluator; 0: any free port, printed on start).")
  Integer port;

  @Option(names = "--metrics-bind", defaultValue = "127.0.0.1", paramLabel = "ADDRESS",
      description = "Address the metrics endpoint binds to (default: ${DEFAULT-VALUE}; 0.0.0.0 for every interface).")
  String bind;

  @Option(names = "--no-metrics", description = "Do not serve metrics.")
  boolean off;

  /**
   * Starts the endpoint (null with --no-metrics) and says where it is on {@code log}. An explicit --metrics-port
   * that is in use is an error; when the service's default port is in use (a second producer on the host, say) the
   * endpoint moves to a free port and the line says so.
   */
  MetricsServer start(int defaultPort, String service, PrintWriter log) {
    if (off) {
      return null;
    }
    MetricsServer s;
    String note = "";
    if (port != null) {
      s = MetricsServer.start(bind, port);
    } else {
      try {
        s = MetricsServer.start(bind, defaultPort);
      } catch (MetricsServer.PortInUse e) {
        s = MetricsServer.start(bind, 0);
        note = " (the default port " + defaultPort + " is in use; pass --metrics-port to choose one)";
      }
    }
    log.printf("%s: metrics on %s%s%n", service, s.url(), note);
    log.flush();
    return s;
  }
}
