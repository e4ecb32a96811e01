package org.metaopt.ops.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code dl4j-example}'s user mistakes: one line and exit code 2, never a stack trace. */
class Dl4jExampleCommandTest {

  private static void assertUsageError(CliRun run, String expected) {
    assertEquals(2, run.exitCode(), run.err());
    assertTrue(run.err().contains(expected), run.err());
    assertFalse(run.err().contains("\tat "), "stack trace for a user mistake: " + run.err());
  }

  @Test
  void badStepsAMissingVersionFileAndMissingDataAreOneLineErrors(@TempDir Path dir) {
    assertUsageError(CliRun.of("dl4j-example", "--steps", "0"), "--steps 0 must be in [1, 10000000]");
    assertUsageError(CliRun.of("dl4j-example", "--optimizer", dir.resolve("nope.json").toString()),
        "optimizer version file not found");
    assertUsageError(CliRun.of("dl4j-example", "--steps", "3", "--data-dir", dir.toString()), "Fashion-MNIST");
  }
}
