package org.metaopt.stream.wire;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.apache.avro.io.Decoder;
import org.apache.avro.util.Utf8;

/**
 * An Avro binary decoder over a byte range that never trusts a length: every string, bytes, array and map length is
 * checked against the bytes that remain before anything is allocated, so garbage input fails fast with an
 * {@link IOException} (an {@link EOFException} when the input ends early) instead of allocating gigabytes. Array
 * and map counts are bounded by the remaining bytes, which is exact for the wire schemas (none has zero-byte
 * elements). One instance per decode; not thread-safe.
 */
final class BoundedDecoder extends Decoder {
  private final byte[] buf;
  private final int limit;
  private int pos;

  BoundedDecoder(byte[] buf, int offset) {
    this.buf = buf;
    this.pos = offset;
    this.limit = buf.length;
  }

  /** Bytes not read yet. */
  @Override
  public int remainingBytes() {
    return limit - pos;
  }

  private void need(long n, String what) throws EOFException {
    if (n > limit - pos) {
      throw new EOFException(what + " needs " + n + " bytes at offset " + pos + " but only " + (limit - pos)
          + " remain");
    }
  }

  @Override
  public void readNull() {}

  @Override
  public boolean readBoolean() throws IOException {
    need(1, "a boolean");
    int b = buf[pos++];
    if (b != 0 && b != 1) {
      throw new IOException("boolean byte " + b + " at offset " + (pos - 1) + " is neither 0 nor 1");
    }
    return b == 1;
  }

  @Override
  public int readInt() throws IOException {
    long v = readLong();
    if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
      throw new IOException("int value " + v + " out of range at offset " + pos);
    }
    return (int) v;
  }

  @Override
  public long readLong() throws IOException {
    long raw = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      need(1, "a varint");
      int b = buf[pos++] & 0xff;
      raw |= (long) (b & 0x7f) << shift;
      if ((b & 0x80) == 0) {
        return (raw >>> 1) ^ -(raw & 1);
      }
    }
    throw new IOException("varint longer than 10 bytes at offset " + pos);
  }

  @Override
  public float readFloat() throws IOException {
    need(4, "a float");
    float f = Float.intBitsToFloat(le32(pos));
    pos += 4;
    return f;
  }

  @Override
  public double readDouble() throws IOException {
    need(8, "a double");
    long bits = (le32(pos) & 0xffffffffL) | ((long) le32(pos + 4) << 32);
    pos += 8;
    return Double.longBitsToDouble(bits);
  }

  private int le32(int at) {
    return (buf[at] & 0xff) | (buf[at + 1] & 0xff) << 8 | (buf[at + 2] & 0xff) << 16 | (buf[at + 3] & 0xff) << 24;
  }

  private int length(String what) throws IOException {
    long n = readLong();
    if (n < 0) {
      throw new IOException(what + " has negative length " + n);
    }
    need(n, what);
    return (int) n;
  }

  @Override
  public Utf8 readString(Utf8 old) throws IOException {
    return new Utf8(readString());
  }

  @Override
  public String readString() throws IOException {
    int n = length("a string");
    try {
      String s = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(buf, pos, n)).toString();
      pos += n;
      return s;
    } catch (CharacterCodingException e) {
      throw new IOException("a string at offset " + pos + " is not valid UTF-8");
    }
  }

  @Override
  public void skipString() throws IOException {
    pos += length("a string");
  }

  @Override
  public ByteBuffer readBytes(ByteBuffer old) throws IOException {
    int n = length("a bytes field");
    byte[] out = new byte[n];
    System.arraycopy(buf, pos, out, 0, n);
    pos += n;
    return ByteBuffer.wrap(out);
  }

  @Override
  public void skipBytes() throws IOException {
    pos += length("a bytes field");
  }

  @Override
  public void readFixed(byte[] bytes, int start, int len) throws IOException {
    need(len, "a fixed field");
    System.arraycopy(buf, pos, bytes, start, len);
    pos += len;
  }

  @Override
  public void skipFixed(int len) throws IOException {
    need(len, "a fixed field");
    pos += len;
  }

  @Override
  public int readEnum() throws IOException {
    return readInt();
  }

  /** A block count: negative counts are followed by the block's byte size, which is checked and dropped. */
  private long blockCount(String what) throws IOException {
    long n = readLong();
    if (n < 0) {
      if (n == Long.MIN_VALUE) {
        throw new IOException(what + " block count out of range");
      }
      n = -n;
      long size = readLong();
      if (size < 0) {
        throw new IOException(what + " block has negative byte size " + size);
      }
      need(size, what + " block");
    }
    need(n, what + " of " + n + " items");
    return n;
  }

  /** Skips blocks that carry their byte size; returns the item count of the next block to skip item by item. */
  private long skipBlocks(String what) throws IOException {
    while (true) {
      long n = readLong();
      if (n >= 0) {
        need(n, what + " of " + n + " items");
        return n;
      }
      long size = readLong();
      if (size < 0) {
        throw new IOException(what + " block has negative byte size " + size);
      }
      need(size, what + " block");
      pos += (int) size;
    }
  }

  @Override
  public long readArrayStart() throws IOException {
    return blockCount("an array");
  }

  @Override
  public long arrayNext() throws IOException {
    return blockCount("an array");
  }

  @Override
  public long skipArray() throws IOException {
    return skipBlocks("an array");
  }

  @Override
  public long readMapStart() throws IOException {
    return blockCount("a map");
  }

  @Override
  public long mapNext() throws IOException {
    return blockCount("a map");
  }

  @Override
  public long skipMap() throws IOException {
    return skipBlocks("a map");
  }

  @Override
  public int readIndex() throws IOException {
    return readInt();
  }
}
