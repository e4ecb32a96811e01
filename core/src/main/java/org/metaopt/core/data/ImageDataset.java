package org.metaopt.core.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;
import org.metaopt.core.UserError;

/**
 * Loads an MNIST-format image set (Fashion-MNIST, original MNIST) from the four standard IDX files in one
 * directory, gzipped ({@code *.gz}) or plain, and caches the decoded bytes per directory for the life of the
 * JVM. Thread-safe: concurrent loads of one directory decode it once.
 */
public final class ImageDataset {

  /** Base names of the four files, in the order train images, train labels, test images, test labels. */
  public static final String TRAIN_IMAGES = "train-images-idx3-ubyte";
  public static final String TRAIN_LABELS = "train-labels-idx1-ubyte";
  public static final String TEST_IMAGES = "t10k-images-idx3-ubyte";
  public static final String TEST_LABELS = "t10k-labels-idx1-ubyte";

  private static final ConcurrentHashMap<Path, RawImageSet> CACHE = new ConcurrentHashMap<>();

  private ImageDataset() {
  }

  /**
   * The image set in {@code dir}, decoded on first use and then served from the cache.
   *
   * @throws UserError if a file is missing or damaged, or image and label counts disagree
   */
  public static RawImageSet load(Path dir, String displayName) {
    Path key = dir.toAbsolutePath().normalize();
    RawImageSet raw = CACHE.computeIfAbsent(key, k -> decode(k, displayName));
    return raw.displayName().equals(displayName) ? raw : raw.withDisplayName(displayName);
  }

  private static RawImageSet decode(Path dir, String name) {
    String remedy = IdxFile.DEFAULT_REMEDY;
    Path trainImagesFile = locate(dir, TRAIN_IMAGES, name);
    Path trainLabelsFile = locate(dir, TRAIN_LABELS, name);
    Path testImagesFile = locate(dir, TEST_IMAGES, name);
    Path testLabelsFile = locate(dir, TEST_LABELS, name);
    IdxImages trainImages = IdxFile.readImages(trainImagesFile, remedy);
    byte[] trainLabels = IdxFile.readLabels(trainLabelsFile, remedy);
    IdxImages testImages = IdxFile.readImages(testImagesFile, remedy);
    byte[] testLabels = IdxFile.readLabels(testLabelsFile, remedy);
    checkCounts(name, trainImagesFile, trainImages, trainLabelsFile, trainLabels, remedy);
    checkCounts(name, testImagesFile, testImages, testLabelsFile, testLabels, remedy);
    checkLabels(name, trainLabelsFile, trainLabels, remedy);
    checkLabels(name, testLabelsFile, testLabels, remedy);
    if (trainImages.rows() != testImages.rows() || trainImages.cols() != testImages.cols()) {
      throw new UserError(name + " files disagree: " + trainImagesFile + " holds " + trainImages.rows() + "x"
          + trainImages.cols() + " images but " + testImagesFile + " holds " + testImages.rows() + "x"
          + testImages.cols() + "; " + remedy);
    }
    return new RawImageSet(name, dir, trainImages, trainLabels, testImages, testLabels);
  }

  /** {@code dir/base.gz} if present, else {@code dir/base}, else a {@link UserError} saying how to install. */
  static Path locate(Path dir, String base, String name) {
    Path gz = dir.resolve(base + ".gz");
    if (Files.isRegularFile(gz)) {
      return gz;
    }
    Path plain = dir.resolve(base);
    if (Files.isRegularFile(plain)) {
      return plain;
    }
    throw new UserError(name + " file not found: " + gz + "; install it with `sudo apt-get install -y "
        + "dataset-fashion-mnist`, or point --data-dir / METAOPT_DATA at a folder holding the four IDX files");
  }

  private static void checkCounts(String name, Path imagesFile, IdxImages images, Path labelsFile, byte[] labels,
                                  String remedy) {
    if (images.count() != labels.length) {
      throw new UserError(name + " files disagree: " + imagesFile + " holds " + images.count() + " images but "
          + labelsFile + " holds " + labels.length + " labels; " + remedy);
    }
  }

  private static void checkLabels(String name, Path file, byte[] labels, String remedy) {
    for (int i = 0; i < labels.length; i++) {
      int label = labels[i] & 0xFF;
      if (label >= RawImageSet.NUM_CLASSES) {
        throw new UserError(name + " file " + file + ": label " + label + " at index " + i + " is outside [0, "
            + RawImageSet.NUM_CLASSES + "); " + remedy);
      }
    }
  }
}
