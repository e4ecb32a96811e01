package org.metaopt.ops.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.metaopt.core.UserError;

class TrainingReportTest {
  @TempDir Path dir;

  @Test
  void plotsHeldOutScoreAndRecordedTermsOnlyWhenPresent() throws Exception {
    Files.writeString(dir.resolve("metrics.jsonl"), """
        {"version":1,"seconds":0.1,"metaLoss":0.9,"gradientNorm":2.0,"segments":2,"droppedStale":0,"heldOutScore":-0.5}
        {"version":2,"seconds":0.2,"metaLoss":0.8,"gradientNorm":"NaN","segments":2,"droppedStale":1}

        {"version":3,"seconds":0.3,"metaLoss":0.7,"gradientNorm":1.0,"segments":2,"droppedStale":1,"flatness":{"hessianTrace":4.5},"note":"x"}
        """);
    List<MetricsPoint> points = MetricsPoint.read(dir.resolve("metrics.jsonl"));
    assertEquals(3, points.size());
    assertEquals(-0.5, points.get(0).heldOutScore());
    assertTrue(Double.isNaN(points.get(1).heldOutScore()));
    assertTrue(Double.isNaN(points.get(1).gradientNorm()));
    assertEquals(Map.of("segments", 2.0, "droppedStale", 1.0, "flatness.hessianTrace", 4.5), points.get(2).terms());

    Path file = TrainingReport.write(dir);
    String html = Files.readString(file);
    // meta-loss, gradient norm, held-out score, counters, flatness.hessianTrace
    assertTrue(html.contains("data-figures=\"5\""), html.substring(0, Math.min(html.length(), 400)));
    assertEquals(5, HtmlReportTest.embeddedImages(html).size());
    assertTrue(html.contains("-0.5000 (version 1)"), "best held-out score in the summary");

    HtmlReport plain = TrainingReport.build("t", Map.of(), List.of(
        new MetricsPoint(1, 0, 1, 1, Double.NaN, Map.of()), new MetricsPoint(2, 0, 1, 1, Double.NaN, Map.of())));
    assertEquals(2, plain.figureCount(), "no held-out score, no counters, no terms: two figures");
    assertEquals(0, TrainingReport.build("t", Map.of(), List.of()).figureCount());
  }

  @Test
  void aMissingOrMalformedMetricsFileIsAUserErrorNamingFileAndLine() throws Exception {
    UserError missing = assertThrows(UserError.class, () -> TrainingReport.write(dir));
    assertTrue(missing.getMessage().contains("metrics.jsonl"), missing.getMessage());
    Files.writeString(dir.resolve("metrics.jsonl"), "{\"version\":1,\"metaLoss\":1}\n[1,2]\n");
    UserError bad = assertThrows(UserError.class, () -> TrainingReport.write(dir));
    assertTrue(bad.getMessage().contains("line 2"), bad.getMessage());
  }
}
