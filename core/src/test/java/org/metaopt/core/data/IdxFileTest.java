package org.metaopt.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.metaopt.core.UserError;

class IdxFileTest {

  @TempDir
  Path dir;

  private static final String REMEDY = IdxFile.DEFAULT_REMEDY;

  @Test
  void readsPlainImageFileBackExactly() throws Exception {
    byte[] pixels = IdxTestFiles.ramp(3 * 4 * 5, 200);
    Path f = IdxTestFiles.write(dir.resolve("img"), IdxTestFiles.images(3, 4, 5, pixels));
    IdxImages images = IdxFile.readImages(f, REMEDY);
    assertEquals(3, images.count());
    assertEquals(4, images.rows());
    assertEquals(5, images.cols());
    assertArrayEquals(pixels, images.pixels());
  }

  @Test
  void readsGzippedImageFileBackExactly() throws Exception {
    byte[] pixels = IdxTestFiles.ramp(2 * 28 * 28, 3);
    Path f = IdxTestFiles.write(dir.resolve("img.gz"), IdxTestFiles.gzip(IdxTestFiles.images(2, 28, 28, pixels)));
    IdxImages images = IdxFile.readImages(f, REMEDY);
    assertEquals(2, images.count());
    assertArrayEquals(pixels, images.pixels());
  }

  @Test
  void readsPlainAndGzippedLabelFilesBackExactly() throws Exception {
    byte[] labels = {0, 9, 3, 3, 7};
    Path plain = IdxTestFiles.write(dir.resolve("lab"), IdxTestFiles.labels(labels));
    Path gz = IdxTestFiles.write(dir.resolve("lab.gz"), IdxTestFiles.gzip(IdxTestFiles.labels(labels)));
    assertArrayEquals(labels, IdxFile.readLabels(plain, REMEDY));
    assertArrayEquals(labels, IdxFile.readLabels(gz, REMEDY));
  }

  @Test
  void rejectsLabelFileReadAsImagesWithBadMagic() throws Exception {
    Path f = IdxTestFiles.write(dir.resolve("lab.gz"), IdxTestFiles.gzip(IdxTestFiles.labels(new byte[] {1, 2})));
    UserError e = assertThrows(UserError.class, () -> IdxFile.readImages(f, REMEDY));
    assertUserMessage(e, f, "bad magic number 0x00000801 (expected 0x00000803 for an image file)");
  }

  @Test
  void rejectsTruncatedPixels() throws Exception {
    byte[] full = IdxTestFiles.images(2, 3, 3, IdxTestFiles.ramp(18, 0));
    Path f = IdxTestFiles.write(dir.resolve("img"), Arrays.copyOf(full, full.length - 5));
    UserError e = assertThrows(UserError.class, () -> IdxFile.readImages(f, REMEDY));
    assertUserMessage(e, f, "truncated: header promises 18 bytes of pixels, file has 13");
  }

  @Test
  void rejectsTruncatedHeader() throws Exception {
    Path f = IdxTestFiles.write(dir.resolve("img"), new byte[] {0, 0, 8, 3, 0, 0});
    UserError e = assertThrows(UserError.class, () -> IdxFile.readImages(f, REMEDY));
    assertUserMessage(e, f, "truncated");
  }

  @Test
  void rejectsTrailingBytes() throws Exception {
    byte[] full = IdxTestFiles.labels(new byte[] {1, 2, 3});
    Path f = IdxTestFiles.write(dir.resolve("lab.gz"), IdxTestFiles.gzip(Arrays.copyOf(full, full.length + 2)));
    UserError e = assertThrows(UserError.class, () -> IdxFile.readLabels(f, REMEDY));
    assertUserMessage(e, f, "trailing data: header promises 3 bytes of labels, file has 5");
  }

  @Test
  void rejectsDamagedGzipData() throws Exception {
    byte[] gz = IdxTestFiles.gzip(IdxTestFiles.labels(new byte[100]));
    Path f = IdxTestFiles.write(dir.resolve("lab.gz"), Arrays.copyOf(gz, gz.length / 2));
    UserError e = assertThrows(UserError.class, () -> IdxFile.readLabels(f, REMEDY));
    assertUserMessage(e, f, "gzip");
  }

  @Test
  void rejectsMissingFile() {
    Path f = dir.resolve("nope.gz");
    UserError e = assertThrows(UserError.class, () -> IdxFile.readLabels(f, REMEDY));
    assertUserMessage(e, f, "not found");
  }

  static void assertUserMessage(UserError e, Path file, String what) {
    String m = e.getMessage();
    assertTrue(m.contains(file.toString()), "message names the file: " + m);
    assertTrue(m.contains(what), "message says '" + what + "': " + m);
    assertTrue(m.contains("apt-get install"), "message says how to fix: " + m);
  }
}
