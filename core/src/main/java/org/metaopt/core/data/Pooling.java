package org.metaopt.core.data;

/**
 * Turns selected raw byte images into float features in {@code [0, 1]}, average-pooling non-overlapping
 * {@code factor x factor} blocks. Stateless; thread-safe.
 */
public final class Pooling {

  private Pooling() {
  }

  /**
   * Features for the images at {@code indices}, in that order: each image becomes
   * {@code (rows/factor) * (cols/factor)} floats, the mean of its block divided by 255.
   */
  public static float[] averagePool(IdxImages images, int[] indices, int factor) {
    int rows = images.rows();
    int cols = images.cols();
    if (factor < 1 || rows % factor != 0 || cols % factor != 0) {
      throw new IllegalArgumentException("pooling factor " + factor + " must divide image size " + rows + "x" + cols);
    }
    int outRows = rows / factor;
    int outCols = cols / factor;
    int perImage = rows * cols;
    int outPerImage = outRows * outCols;
    float scale = 1f / (255f * factor * factor);
    byte[] px = images.pixels();
    float[] out = new float[indices.length * outPerImage];
    for (int r = 0; r < indices.length; r++) {
      int base = indices[r] * perImage;
      int outBase = r * outPerImage;
      for (int orow = 0; orow < outRows; orow++) {
        for (int ocol = 0; ocol < outCols; ocol++) {
          int sum = 0;
          for (int dr = 0; dr < factor; dr++) {
            int rowStart = base + (orow * factor + dr) * cols + ocol * factor;
            for (int dc = 0; dc < factor; dc++) {
              sum += px[rowStart + dc] & 0xFF;
            }
          }
          out[outBase + orow * outCols + ocol] = sum * scale;
        }
      }
    }
    return out;
  }
}
