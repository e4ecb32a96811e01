package org.metaopt.metalearner;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.metaopt.core.UserError;
import org.metaopt.core.meta.MetaTrainConfigs;
import org.metaopt.core.version.OptimizerVersion;
import org.metaopt.core.version.VersionFiles;

/** {@code --from}: version 0 of a warm-started run is the file's θ with the config's hyperparameters. */
class WarmStartTest {
  private static Path repo(String... parts) {
    Path p = Path.of("..", parts);
    return Files.exists(p) ? p : Path.of("", parts);
  }

  @Test
  void versionZeroIsTheFilesThetaWithTheConfigsHyperparametersAndMetaState() {
    MetaTrainConfigs.Loaded config = MetaTrainConfigs.load(repo("docs", "examples", "meta-celo2.yaml"));
    OptimizerVersion shipped = VersionFiles.read(repo("pretrained", "celo2.json"));
    OptimizerVersion.Provenance p = LearnerSetup.provenance(config, "test");
    OptimizerVersion v0 = LearnerSetup.warmStartVersion(config, p, shipped);
    assertEquals(0, v0.version());
    assertEquals(-1, v0.parent());
    assertArrayEquals(shipped.theta(), v0.theta());
    assertEquals(shipped.thetaSha256(), v0.thetaSha256());
    assertEquals("constant", v0.hyperparameters().get("schedule")); // the config's, not the file's cosine
    assertNotEquals(shipped.hyperparameters(), v0.hyperparameters());
    assertTrue(v0.provenance().window().startsWith("warm start from version " + shipped.version()));
    // a fresh start would differ: θ0 from the config's seed
    assertEquals(LearnerSetup.initialVersion(config, p).theta().length, v0.theta().length);
  }

  @Test
  void aVersionOfAnotherArchitectureIsAUserErrorNamingBoth() {
    MetaTrainConfigs.Loaded config = MetaTrainConfigs.load(repo("docs", "examples", "meta-celo2.yaml"));
    OptimizerVersion other = VersionFiles.read(repo("pretrained", "mlp-lopt.json"));
    UserError e = assertThrows(UserError.class,
        () -> LearnerSetup.warmStartVersion(config, LearnerSetup.provenance(config, "test"), other));
    assertTrue(e.getMessage().contains("mlp-lopt") && e.getMessage().contains("celo2"), e.getMessage());
  }
}
