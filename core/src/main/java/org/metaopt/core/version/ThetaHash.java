package org.metaopt.core.version;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 of θ as little-endian float32 bytes: the identity of a version's numbers. Stateless. */
public final class ThetaHash {
  private ThetaHash() {}

  /** The bytes hashed (and stored, base64-encoded, in version files). */
  public static byte[] bytes(float[] theta) {
    ByteBuffer b = ByteBuffer.allocate(theta.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().put(theta);
    return b.array();
  }

  /** Decodes {@link #bytes}. */
  public static float[] fromBytes(byte[] bytes) {
    if (bytes.length % 4 != 0) {
      throw new IllegalArgumentException("θ bytes length " + bytes.length + " is not a multiple of 4");
    }
    float[] out = new float[bytes.length / 4];
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
    return out;
  }

  public static String sha256(float[] theta) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes(theta)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
