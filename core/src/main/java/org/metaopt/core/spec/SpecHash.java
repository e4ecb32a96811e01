package org.metaopt.core.spec;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 of a resolved spec's canonical JSON: equal specs hash equal whether defaults were written or not. */
public final class SpecHash {
  private SpecHash() {}

  /** Hex SHA-256 of {@code SpecLoader.canonicalJson(spec)}. */
  public static String of(TaskSpec spec) {
    return sha256(SpecLoader.canonicalJson(spec));
  }

  /** Hex SHA-256 of a UTF-8 string. */
  public static String sha256(String text) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JVM", e);
    }
  }
}
