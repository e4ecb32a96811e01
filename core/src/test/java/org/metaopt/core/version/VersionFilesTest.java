package org.metaopt.core.version;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.metaopt.core.UserError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VersionFilesTest {
  @TempDir Path dir;

  static OptimizerVersion sample() {
    float[] theta = {0.5f, -1.25f, Float.MIN_VALUE, 3e30f};
    OptimizerVersion.Provenance p = new OptimizerVersion.Provenance("cfg", "PES sigma=0.01",
        Map.of("meanLogLossRatio", 1.0), List.of("quadratic"), 7, "dev", "2026-11-21T00:00:00Z", 8, "in-memory");
    return OptimizerVersion.of(3, 2, "mlp-lopt", Map.of("hidden", 32), theta,
        new OptimizerVersion.MetaState(3, new float[] {1, 2, 3, 4}, new float[] {5, 6, 7, 8}, 1), p);
  }

  @Test
  void roundTripsThetaBitForBitWithMetaStateAndProvenance() {
    OptimizerVersion v = sample();
    Path f = dir.resolve("v.json");
    VersionFiles.write(v, f);
    OptimizerVersion back = VersionFiles.read(f);
    assertArrayEquals(v.theta(), back.theta());
    assertEquals(v.thetaSha256(), back.thetaSha256());
    assertEquals(3, back.version());
    assertEquals(2, back.parent());
    assertEquals(32, back.hyperparameters().get("hidden"));
    assertArrayEquals(new float[] {5, 6, 7, 8}, back.metaState().v());
    assertEquals(v.provenance(), back.provenance());
  }

  @Test
  void tamperedThetaIsRejectedNamingTheFile() throws IOException {
    Path f = dir.resolve("v.json");
    VersionFiles.write(sample(), f);
    String text = Files.readString(f);
    String sha = sample().thetaSha256();
    Files.writeString(f, text.replace(sha, "0".repeat(64)));
    UserError e = assertThrows(UserError.class, () -> VersionFiles.read(f));
    assertTrue(e.getMessage().contains(f.toString()) && e.getMessage().contains("corrupt"), e.getMessage());
  }

  @Test
  void notJsonAndWrongFormatAndMissingFileAreUserErrors() throws IOException {
    Path junk = dir.resolve("junk.json");
    Files.writeString(junk, "{not json");
    assertTrue(assertThrows(UserError.class, () -> VersionFiles.read(junk)).getMessage().contains("corrupt"));
    Path other = dir.resolve("other.json");
    Files.writeString(other, "{\"format\": \"something-else\"}");
    assertTrue(assertThrows(UserError.class, () -> VersionFiles.read(other)).getMessage().contains("not an optimizer version"));
    assertTrue(assertThrows(UserError.class, () -> VersionFiles.read(dir.resolve("none.json"))).getMessage().contains("not found"));
  }
}
