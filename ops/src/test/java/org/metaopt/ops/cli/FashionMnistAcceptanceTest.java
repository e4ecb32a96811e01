package org.metaopt.ops.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The foundation's end-to-end check: {@code optimize} on real Fashion-MNIST, MLP 784-128-10 ReLU, batch 128,
 * Adam lr 1e-3, 1000 steps reaches test accuracy >= 0.83. Needs the Debian package dataset-fashion-mnist
 * (.ci/run installs it); without it the test fails and says so.
 */
class FashionMnistAcceptanceTest {

  @Test
  void adamTrainsTheFashionMlpToAtLeast83PercentTestAccuracyIn1000Steps() throws Exception {
    Path data = Path.of(System.getenv().getOrDefault("METAOPT_DATA", "/usr/share/datasets/fashion-mnist"));
    assertTrue(Files.exists(data.resolve("train-images-idx3-ubyte.gz")) || Files.exists(data.resolve("train-images-idx3-ubyte")),
        "Fashion-MNIST is not installed at " + data + ": sudo apt-get install -y dataset-fashion-mnist");
    CliRun r = CliRun.of("optimize", "--task", OptimizeCommandTest.example("fashion-mlp.yaml").toString(),
        "--optimizer", "adam", "--lr", "1e-3", "--steps", "1000", "--json");
    assertEquals(0, r.exitCode(), r.err());
    JsonNode j = new ObjectMapper().readTree(r.out());
    System.out.println("fashion-mnist acceptance: " + j);
    assertFalse(j.get("diverged").asBoolean());
    assertEquals(1000, j.get("steps").asInt());
    assertTrue(j.get("testAccuracy").asDouble() >= 0.83, "test accuracy " + j.get("testAccuracy"));
  }
}
