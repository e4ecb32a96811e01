package org.metaopt.ops.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;
import org.metaopt.ops.metrics.MetricsServer;

class MetricsOptionsTest {
  private static MetricsOptions options(Integer port, boolean off) {
    MetricsOptions o = new MetricsOptions();
    o.port = port;
    o.bind = "127.0.0.1";
    o.off = off;
    return o;
  }

  @Test
  void aTakenDefaultPortMovesToAFreePortAndSaysSoButAnExplicitOneFails() throws Exception {
    try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      StringWriter log = new StringWriter();
      try (MetricsServer s = options(null, false).start(busy.getLocalPort(), "learner", new PrintWriter(log, true))) {
        assertNotEquals(busy.getLocalPort(), s.port());
        assertEquals("learner: metrics on " + s.url() + " (the default port " + busy.getLocalPort()
            + " is in use; pass --metrics-port to choose one)", log.toString().strip());
      }
      assertThrows(MetricsServer.PortInUse.class,
          () -> options(busy.getLocalPort(), false).start(9465, "learner", new PrintWriter(new StringWriter())));
    }
  }

  @Test
  void noMetricsServesNothing() {
    StringWriter log = new StringWriter();
    assertNull(options(null, true).start(9465, "learner", new PrintWriter(log, true)));
    assertTrue(log.toString().isEmpty());
  }
}
