package org.metaopt.core.data;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import org.metaopt.core.UserError;

/**
 * Reads IDX files (the MNIST format), gzipped or plain, checking the magic number, the dimensions and that
 * the file holds exactly the bytes its header promises. Stateless; safe to call from any thread.
 *
 * <p>Every problem is a {@link UserError} naming the file, what is wrong and the {@code remedy} passed in.
 */
public final class IdxFile {

  /** Magic number of an IDX file of unsigned bytes with 3 dimensions (images). */
  public static final int IMAGES_MAGIC = 0x00000803;
  /** Magic number of an IDX file of unsigned bytes with 1 dimension (labels). */
  public static final int LABELS_MAGIC = 0x00000801;
  /** What to do about a damaged file, for the Debian-packaged Fashion-MNIST. */
  public static final String DEFAULT_REMEDY =
      "reinstall with: apt-get install -y --reinstall dataset-fashion-mnist, or replace it with an intact copy";

  private IdxFile() {
  }

  /** Reads a 3-D unsigned-byte image file; see {@link #readLabels} for the error contract. */
  public static IdxImages readImages(Path file, String remedy) {
    try (InputStream in = open(file, remedy)) {
      int[] dims = header(file, in, IMAGES_MAGIC, "an image", remedy);
      if (dims[1] < 1 || dims[2] < 1) {
        throw new UserError("IDX file " + file + ": image size " + dims[1] + "x" + dims[2]
            + " must be at least 1x1; " + remedy);
      }
      byte[] pixels = body(file, in, (long) dims[0] * dims[1] * dims[2], "pixels", remedy);
      return new IdxImages(pixels, dims[0], dims[1], dims[2]);
    } catch (IOException e) {
      throw unreadable(file, e, remedy);
    }
  }

  /**
   * Reads a 1-D unsigned-byte label file and returns the raw label bytes (read them with {@code & 0xFF}).
   *
   * @throws UserError if the file is missing, unreadable, not gzip when it claims to be, has the wrong magic
   *     number, or holds fewer or more bytes than its header promises
   */
  public static byte[] readLabels(Path file, String remedy) {
    try (InputStream in = open(file, remedy)) {
      int[] dims = header(file, in, LABELS_MAGIC, "a label", remedy);
      return body(file, in, dims[0], "labels", remedy);
    } catch (IOException e) {
      throw unreadable(file, e, remedy);
    }
  }

  /** The file's bytes, gunzipped when it starts with the gzip magic {@code 1f 8b}. */
  private static InputStream open(Path file, String remedy) throws IOException {
    InputStream in;
    try {
      in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
    } catch (NoSuchFileException e) {
      throw new UserError("IDX file not found: " + file + "; " + remedy, e);
    }
    in.mark(2);
    int b0 = in.read();
    int b1 = in.read();
    in.reset();
    if (b0 == 0x1f && b1 == 0x8b) {
      return new GZIPInputStream(in, 1 << 16);
    }
    return in;
  }

  private static int[] header(Path file, InputStream in, int expectedMagic, String kind, String remedy)
      throws IOException {
    byte[] first = in.readNBytes(4);
    if (first.length < 4) {
      throw new UserError("IDX file " + file + ": truncated: " + first.length + " bytes, too short for a header; "
          + remedy);
    }
    int magic = readInt(first, 0);
    if (magic != expectedMagic) {
      throw new UserError(String.format("IDX file %s: bad magic number 0x%08X (expected 0x%08X for %s file); %s",
          file, magic, expectedMagic, kind, remedy));
    }
    int ndims = expectedMagic & 0xFF;
    byte[] rest = in.readNBytes(4 * ndims);
    if (rest.length < 4 * ndims) {
      throw new UserError("IDX file " + file + ": truncated: header needs " + (4 + 4 * ndims) + " bytes, file has "
          + (4 + rest.length) + "; " + remedy);
    }
    int[] dims = new int[ndims];
    for (int d = 0; d < ndims; d++) {
      dims[d] = readInt(rest, 4 * d);
      if (dims[d] < 0) {
        throw new UserError("IDX file " + file + ": dimension " + d + " is " + (dims[d] & 0xFFFFFFFFL)
            + ", too large; " + remedy);
      }
    }
    return dims;
  }

  /** Exactly {@code promised} bytes, then end of file. */
  private static byte[] body(Path file, InputStream in, long promised, String what, String remedy)
      throws IOException {
    if (promised > Integer.MAX_VALUE - 16) {
      throw new UserError("IDX file " + file + ": header promises " + promised + " bytes of " + what
          + ", more than one array holds; " + remedy);
    }
    byte[] data = new byte[(int) promised];
    int got = in.readNBytes(data, 0, data.length);
    if (got < promised) {
      throw new UserError("IDX file " + file + ": truncated: header promises " + promised + " bytes of " + what
          + ", file has " + got + "; " + remedy);
    }
    long extra = in.transferTo(OutputStream.nullOutputStream());
    if (extra > 0) {
      throw new UserError("IDX file " + file + ": trailing data: header promises " + promised + " bytes of " + what
          + ", file has " + (promised + extra) + "; " + remedy);
    }
    return data;
  }

  private static UserError unreadable(Path file, IOException e, String remedy) {
    return new UserError("IDX file " + file + ": cannot read (" + e + "; damaged gzip data or I/O error); " + remedy, e);
  }

  private static int readInt(byte[] b, int at) {
    return (b[at] & 0xFF) << 24 | (b[at + 1] & 0xFF) << 16 | (b[at + 2] & 0xFF) << 8 | (b[at + 3] & 0xFF);
  }
}
