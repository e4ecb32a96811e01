package org.metaopt.core.data;

import java.nio.file.Path;

/**
 * The four decoded IDX files of an MNIST-format image set (train and test images with their labels), as raw
 * unsigned bytes. Immutable by contract (arrays are shared, never copied, and must not be mutated); safe to
 * read from any thread and cached per directory by {@link ImageDataset}.
 */
public record RawImageSet(String displayName, Path dir, IdxImages trainImages, byte[] trainLabels,
                          IdxImages testImages, byte[] testLabels) {

  /** Labels of MNIST-format sets are digits or clothing classes {@code 0..9}. */
  public static final int NUM_CLASSES = 10;

  public RawImageSet {
    if (trainImages.count() != trainLabels.length || testImages.count() != testLabels.length) {
      throw new IllegalArgumentException(displayName + ": image and label counts differ");
    }
    if (trainImages.rows() != testImages.rows() || trainImages.cols() != testImages.cols()) {
      throw new IllegalArgumentException(displayName + ": train and test images differ in size");
    }
  }

  /** The same data under another display name (no copy). */
  public RawImageSet withDisplayName(String name) {
    return new RawImageSet(name, dir, trainImages, trainLabels, testImages, testLabels);
  }
}
