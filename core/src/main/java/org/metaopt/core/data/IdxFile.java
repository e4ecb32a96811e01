package org.metaopt.core.data;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
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
    byte[] b = readBytes(file, remedy);
    int[] dims = header(file, b, IMAGES_MAGIC, "an image", remedy);
    int header = 4 + 4 * dims.length;
    checkLength(file, b, header, (long) dims[0] * dims[1] * dims[2], "pixels", remedy);
    if (dims[1] < 1 || dims[2] < 1) {
      throw new UserError("IDX file " + file + ": image size " + dims[1] + "x" + dims[2] + " must be at least 1x1; "
          + remedy);
    }
    byte[] pixels = new byte[b.length - header];
    System.arraycopy(b, header, pixels, 0, pixels.length);
    return new IdxImages(pixels, dims[0], dims[1], dims[2]);
  }

  /** Reads a 1-D unsigned-byte label file and returns the raw label bytes (read them with {@code & 0xFF}). */
  public static byte[] readLabels(Path file, String remedy) {
    byte[] b = readBytes(file, remedy);
    int[] dims = header(file, b, LABELS_MAGIC, "a label", remedy);
    checkLength(file, b, 8, dims[0], "labels", remedy);
    byte[] labels = new byte[dims[0]];
    System.arraycopy(b, 8, labels, 0, labels.length);
    return labels;
  }

  /** Whole-file contents, gunzipped when the file starts with the gzip magic {@code 1f 8b}. */
  static byte[] readBytes(Path file, String remedy) {
    try {
      byte[] raw = Files.readAllBytes(file);
      if (raw.length >= 2 && (raw[0] & 0xFF) == 0x1f && (raw[1] & 0xFF) == 0x8b) {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(raw), 1 << 16)) {
          return in.readAllBytes();
        } catch (IOException e) {
          throw new UserError("IDX file " + file + ": damaged gzip data (" + e.getMessage() + "); " + remedy, e);
        }
      }
      return raw;
    } catch (NoSuchFileException e) {
      throw new UserError("IDX file not found: " + file + "; " + remedy, e);
    } catch (IOException e) {
      throw new UserError("cannot read IDX file " + file + ": " + e + "; " + remedy, e);
    }
  }

  private static int[] header(Path file, byte[] b, int expectedMagic, String kind, String remedy) {
    if (b.length < 4) {
      throw new UserError("IDX file " + file + ": truncated: " + b.length + " bytes, too short for a header; " + remedy);
    }
    int magic = readInt(b, 0);
    if (magic != expectedMagic) {
      throw new UserError(String.format("IDX file %s: bad magic number 0x%08X (expected 0x%08X for %s file); %s",
          file, magic, expectedMagic, kind, remedy));
    }
    int ndims = expectedMagic & 0xFF;
    if (b.length < 4 + 4 * ndims) {
      throw new UserError("IDX file " + file + ": truncated: header needs " + (4 + 4 * ndims) + " bytes, file has "
          + b.length + "; " + remedy);
    }
    int[] dims = new int[ndims];
    for (int d = 0; d < ndims; d++) {
      dims[d] = readInt(b, 4 + 4 * d);
      if (dims[d] < 0) {
        throw new UserError("IDX file " + file + ": dimension " + d + " is " + (dims[d] & 0xFFFFFFFFL)
            + ", too large; " + remedy);
      }
    }
    return dims;
  }

  private static void checkLength(Path file, byte[] b, int header, long promised, String what, String remedy) {
    long has = b.length - header;
    if (has < promised) {
      throw new UserError("IDX file " + file + ": truncated: header promises " + promised + " bytes of " + what
          + ", file has " + has + "; " + remedy);
    }
    if (has > promised) {
      throw new UserError("IDX file " + file + ": trailing data: header promises " + promised + " bytes of " + what
          + ", file has " + has + "; " + remedy);
    }
  }

  private static int readInt(byte[] b, int at) {
    return (b[at] & 0xFF) << 24 | (b[at + 1] & 0xFF) << 16 | (b[at + 2] & 0xFF) << 8 | (b[at + 3] & 0xFF);
  }
}
