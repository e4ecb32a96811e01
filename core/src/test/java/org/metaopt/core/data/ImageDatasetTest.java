package org.metaopt.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.metaopt.core.UserError;

class ImageDatasetTest {

  @TempDir
  Path dir;

  @Test
  void loadsFourGzippedFiles() throws Exception {
    IdxTestFiles.writeImageSet(dir, 20, 10, 4);
    RawImageSet raw = ImageDataset.load(dir, "Tiny");
    assertEquals(20, raw.trainImages().count());
    assertEquals(10, raw.testImages().count());
    assertEquals(4, raw.trainImages().rows());
    assertEquals("Tiny", raw.displayName());
    assertArrayEquals(IdxTestFiles.cycle(20), raw.trainLabels());
  }

  @Test
  void acceptsPlainFileNames() throws Exception {
    IdxTestFiles.write(dir.resolve(ImageDataset.TRAIN_IMAGES), IdxTestFiles.images(3, 2, 2, new byte[12]));
    IdxTestFiles.write(dir.resolve(ImageDataset.TRAIN_LABELS), IdxTestFiles.labels(new byte[] {0, 1, 2}));
    IdxTestFiles.write(dir.resolve(ImageDataset.TEST_IMAGES), IdxTestFiles.images(1, 2, 2, new byte[4]));
    IdxTestFiles.write(dir.resolve(ImageDataset.TEST_LABELS), IdxTestFiles.labels(new byte[] {5}));
    RawImageSet raw = ImageDataset.load(dir, "MNIST");
    assertEquals(3, raw.trainImages().count());
    assertEquals(5, raw.testLabels()[0]);
  }

  @Test
  void servesRepeatedLoadsFromTheCacheWithoutDecodingAgain() throws Exception {
    IdxTestFiles.writeImageSet(dir, 20, 10, 4);
    RawImageSet first = ImageDataset.load(dir, "Tiny");
    Files.delete(dir.resolve(ImageDataset.TRAIN_IMAGES + ".gz"));
    RawImageSet second = ImageDataset.load(dir.resolve(".").resolve("x/.."), "Other name");
    assertSame(first.trainImages(), second.trainImages());
    assertEquals("Other name", second.displayName());
  }

  @Test
  void missingFileSaysHowToInstall() throws Exception {
    IdxTestFiles.writeImageSet(dir, 20, 10, 4);
    Path missing = dir.resolve(ImageDataset.TEST_LABELS + ".gz");
    Files.delete(missing);
    UserError e = assertThrows(UserError.class, () -> ImageDataset.load(dir, "Fashion-MNIST"));
    assertEquals("Fashion-MNIST file not found: " + missing + "; install it with `sudo apt-get install -y "
        + "dataset-fashion-mnist`, or point --data-dir / METAOPT_DATA at a folder holding the four IDX files",
        e.getMessage());
  }

  @Test
  void imageAndLabelCountMismatchNamesBothFiles() throws Exception {
    IdxTestFiles.writeImageSet(dir, 20, 10, 4);
    Path labels = IdxTestFiles.write(dir.resolve(ImageDataset.TRAIN_LABELS + ".gz"),
        IdxTestFiles.gzip(IdxTestFiles.labels(IdxTestFiles.cycle(19))));
    UserError e = assertThrows(UserError.class, () -> ImageDataset.load(dir, "Tiny"));
    IdxFileTest.assertUserMessage(e, labels, "holds 20 images but");
    assertTrue(e.getMessage().contains(ImageDataset.TRAIN_IMAGES), e.getMessage());
  }

  @Test
  void labelOutsideTenClassesIsRejected() throws Exception {
    IdxTestFiles.writeImageSet(dir, 20, 10, 4);
    byte[] bad = IdxTestFiles.cycle(10);
    bad[3] = 10;
    Path labels = IdxTestFiles.write(dir.resolve(ImageDataset.TEST_LABELS + ".gz"),
        IdxTestFiles.gzip(IdxTestFiles.labels(bad)));
    UserError e = assertThrows(UserError.class, () -> ImageDataset.load(dir, "Tiny"));
    IdxFileTest.assertUserMessage(e, labels, "label 10 at index 3");
  }

  @Test
  void damagedFileIsNotCached() throws Exception {
    IdxTestFiles.writeImageSet(dir, 20, 10, 4);
    IdxTestFiles.write(dir.resolve(ImageDataset.TEST_IMAGES + ".gz"), new byte[] {0x1f, (byte) 0x8b, 1});
    assertThrows(UserError.class, () -> ImageDataset.load(dir, "Tiny"));
    IdxTestFiles.writeImageSet(dir, 20, 10, 4);
    assertEquals(10, ImageDataset.load(dir, "Tiny").testImages().count());
  }
}
