package org.metaopt.core.data;

/**
 * The decoded contents of one IDX image file: {@code count} images of {@code rows x cols} unsigned bytes,
 * image-major then row-major. Immutable by contract (the array is shared, never copied, and must not be
 * mutated); safe to read from any thread.
 */
public record IdxImages(byte[] pixels, int count, int rows, int cols) {

  public IdxImages {
    if (count < 0) {
      throw new IllegalArgumentException("count " + count + " must be >= 0");
    }
    if (rows < 1 || cols < 1) {
      throw new IllegalArgumentException("rows " + rows + " and cols " + cols + " must be >= 1");
    }
    if ((long) count * rows * cols != pixels.length) {
      throw new IllegalArgumentException("pixels length " + pixels.length + " != count " + count
          + " * rows " + rows + " * cols " + cols);
    }
  }

  /** Pixels per image, {@code rows * cols}. */
  public int pixelsPerImage() {
    return rows * cols;
  }
}
