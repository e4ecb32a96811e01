package org.metaopt.core.version;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Base64;
import java.util.Map;
import org.metaopt.core.UserError;

/**
 * Reads and writes optimizer version files: one self-describing JSON document per version, θ stored as base64
 * little-endian float32 with its SHA-256, checked on read. Writes are atomic (temp file + rename). Thread-safe.
 */
public final class VersionFiles {
  /** The {@code format} field every version file carries. */
  public static final String FORMAT = "metaopt-optimizer-version";

  public static final int FORMAT_VERSION = 1;
  private static final ObjectMapper JSON = JsonMapper.builder()
      .enable(SerializationFeature.INDENT_OUTPUT)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .build();

  private VersionFiles() {}

  /** The on-disk shape. */
  record FileForm(
      String format, int formatVersion, long version, long parent, String architecture,
      Map<String, Object> hyperparameters, int thetaLength, String theta, String thetaSha256, MetaForm metaState,
      OptimizerVersion.Provenance provenance) {}

  record MetaForm(long step, String m, String v, long droppedEstimates) {}

  private static String b64(float[] x) {
    return Base64.getEncoder().encodeToString(ThetaHash.bytes(x));
  }

  private static float[] unb64(String s) {
    return ThetaHash.fromBytes(Base64.getDecoder().decode(s));
  }

  /** Writes {@code v} to {@code file} atomically. */
  public static void write(OptimizerVersion v, Path file) {
    OptimizerVersion.MetaState ms = v.metaState();
    FileForm f = new FileForm(FORMAT, FORMAT_VERSION, v.version(), v.parent(), v.architecture(), v.hyperparameters(),
        v.theta().length, b64(v.theta()), v.thetaSha256(),
        ms == null ? null : new MetaForm(ms.step(), b64(ms.m()), b64(ms.v()), ms.droppedEstimates()), v.provenance());
    try {
      Path dir = file.toAbsolutePath().getParent();
      Files.createDirectories(dir);
      Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
      JSON.writeValue(tmp.toFile(), f);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UserError("cannot write optimizer version " + file + ": " + e.getMessage());
    }
  }

  /** True when {@code file} looks like a version file (exists and ends in .json); used to tell names from paths. */
  public static boolean looksLikeVersionFile(String nameOrPath) {
    return nameOrPath.endsWith(".json") || nameOrPath.contains("/") || nameOrPath.contains("\\");
  }

  /**
   * Reads and checks a version file.
   *
   * @throws UserError naming the file when it is missing, not JSON, not a version file, or its θ fails its hash
   */
  public static OptimizerVersion read(Path file) {
    FileForm f;
    try {
      f = JSON.readValue(Files.readAllBytes(file), FileForm.class);
    } catch (NoSuchFileException e) {
      throw new UserError("optimizer version file not found: " + file);
    } catch (JacksonException e) {
      throw new UserError("optimizer version file " + file + " is corrupt (not valid JSON: "
          + e.getOriginalMessage().lines().findFirst().orElse("") + "); re-export it or pick another version");
    } catch (IOException e) {
      throw new UserError("cannot read optimizer version file " + file + ": " + e.getMessage());
    }
    if (!FORMAT.equals(f.format())) {
      throw new UserError(file + " is not an optimizer version file (format is '" + f.format() + "', expected '"
          + FORMAT + "')");
    }
    if (f.formatVersion() > FORMAT_VERSION) {
      throw new UserError(file + " has format version " + f.formatVersion() + "; this metaopt reads up to "
          + FORMAT_VERSION + " (upgrade metaopt)");
    }
    float[] theta;
    try {
      theta = unb64(f.theta());
    } catch (RuntimeException e) {
      throw new UserError("optimizer version file " + file + " is corrupt: θ is not valid base64 float32 data");
    }
    String sha = ThetaHash.sha256(theta);
    if (theta.length != f.thetaLength() || !sha.equals(f.thetaSha256())) {
      throw new UserError("optimizer version file " + file + " is corrupt: θ does not match its SHA-256 "
          + f.thetaSha256() + " (got " + sha + ", " + theta.length + " values)");
    }
    OptimizerVersion.MetaState ms = f.metaState() == null ? null
        : new OptimizerVersion.MetaState(f.metaState().step(), unb64(f.metaState().m()), unb64(f.metaState().v()),
            f.metaState().droppedEstimates());
    return new OptimizerVersion(f.version(), f.parent(), f.architecture(),
        f.hyperparameters() == null ? Map.of() : f.hyperparameters(), theta, sha, ms, f.provenance());
  }
}
