package org.metaopt.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

class PoolingTest {

  /** Two 4x4 images; the second is the first plus 100. */
  private static IdxImages twoImages() {
    int[] a = {
        0, 4, 8, 12,
        16, 20, 24, 28,
        255, 255, 0, 0,
        255, 255, 0, 4};
    byte[] px = new byte[32];
    for (int i = 0; i < 16; i++) {
      px[i] = (byte) a[i];
      px[16 + i] = (byte) Math.min(255, a[i] + 100);
    }
    return new IdxImages(px, 2, 4, 4);
  }

  @Test
  void poolsTwoByTwoBlocksToTheirMean() {
    float[] out = Pooling.averagePool(twoImages(), new int[] {0}, 2);
    assertArrayEquals(new float[] {10 / 255f, 18 / 255f, 1f, 1 / 255f}, out, 1e-7f);
  }

  @Test
  void poolsFourByFourBlockToTheImageMean() {
    float[] out = Pooling.averagePool(twoImages(), new int[] {0}, 4);
    int sum = 0 + 4 + 8 + 12 + 16 + 20 + 24 + 28 + 255 * 4 + 4;
    assertArrayEquals(new float[] {sum / 16f / 255f}, out, 1e-7f);
  }

  @Test
  void factorOneScalesBytesToUnitInterval() {
    float[] out = Pooling.averagePool(twoImages(), new int[] {1}, 1);
    assertArrayEquals(new float[] {100 / 255f, 104 / 255f, 108 / 255f, 112 / 255f}, java.util.Arrays.copyOf(out, 4),
        1e-7f);
    assertArrayEquals(new float[] {1f, 1f, 100 / 255f, 104 / 255f}, java.util.Arrays.copyOfRange(out, 12, 16), 1e-7f);
  }

  @Test
  void convertsSelectedImagesInTheGivenOrder() {
    float[] out = Pooling.averagePool(twoImages(), new int[] {1, 0}, 4);
    float[] first = Pooling.averagePool(twoImages(), new int[] {1}, 4);
    float[] second = Pooling.averagePool(twoImages(), new int[] {0}, 4);
    assertArrayEquals(new float[] {first[0], second[0]}, out);
  }
}
