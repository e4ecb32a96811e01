package org.metaopt.ops.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.metaopt.core.lopt.LearnedOptimizer;
import org.metaopt.core.lopt.registry.LearnedOptimizers;
import org.metaopt.core.version.OptimizerVersion;
import org.metaopt.core.version.VersionFiles;

/** deploy: same θ and hash, the hyperparameters changed and validated, a user mistake is one line and exit 2. */
class DeployCommandTest {
  @TempDir Path dir;

  @Test
  void writesTheSameThetaWithDeploymentHyperparameters() {
    LearnedOptimizer celo2 = LearnedOptimizers.create("celo2", Map.of("schedule", "constant"));
    Path from = dir.resolve("trained.json");
    VersionFiles.write(OptimizerVersion.of(7, 6, "celo2", celo2.hyperparameters(), celo2.initialMetaParams(1),
        null, null), from);
    Path out = dir.resolve("deployed.json");
    CliRun r = CliRun.of("deploy", "--from", from.toString(), "--set", "schedule=cosine", "--set", "lr=0.004",
        "--out", out.toString());
    assertEquals(0, r.exitCode(), r.err());
    OptimizerVersion a = VersionFiles.read(from);
    OptimizerVersion b = VersionFiles.read(out);
    assertEquals(a.thetaSha256(), b.thetaSha256());
    assertEquals(7, b.version());
    assertEquals("cosine", b.hyperparameters().get("schedule").toString());
    assertEquals(0.004, ((Number) b.hyperparameters().get("lr")).doubleValue(), 0.0);
    assertNull(b.metaState());

    CliRun bad = CliRun.of("deploy", "--from", from.toString(), "--set", "schedule=weekly", "--out",
        dir.resolve("x.json").toString());
    assertEquals(2, bad.exitCode());
    assertTrue(bad.err().contains("schedule") && bad.err().lines().count() == 1, bad.err());
    assertFalse(bad.err().contains("Exception"), bad.err());
  }
}
