package org.metaopt.stream.wire;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** float[] to and from little-endian float32 bytes, the wire form of every float array. Stateless. */
final class Floats {
  private Floats() {}

  static ByteBuffer toBytes(float[] x) {
    ByteBuffer b = ByteBuffer.allocate(x.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().put(x);
    return b;
  }

  /**
   * Decodes a bytes field.
   *
   * @throws IllegalArgumentException naming {@code field} when the length is not a multiple of 4
   */
  static float[] fromBytes(Object field, String name) {
    ByteBuffer b = ((ByteBuffer) field).duplicate().order(ByteOrder.LITTLE_ENDIAN);
    if (b.remaining() % 4 != 0) {
      throw new IllegalArgumentException(name + " has " + b.remaining() + " bytes, not a whole number of float32");
    }
    float[] out = new float[b.remaining() / 4];
    b.asFloatBuffer().get(out);
    return out;
  }
}
