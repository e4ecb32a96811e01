package org.metaopt.core.kernel;



import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@link SimdLoops} against {@link Rows}, bit for bit. */
class SimdLoopsTest {
  private static final int BLOCK = 512;

  @Test
  void rowsMatchRowsRowForEveryRowAndInputCount() {
    SplittableRandom r = new SplittableRandom(5);
    for (int inputs : new int[] {1, 2, 5, 6, 7, 13, 22, 25}) {
      float[][] in = new float[inputs][BLOCK];
      for (float[] row : in) {
        for (int i = 0; i < BLOCK; i++) {
          row[i] = (float) (r.nextGaussian() * Math.pow(10, r.nextInt(7) - 3));
        }
      }
      for (int rows : new int[] {1, 3, 8, 11, 20, 30}) {
        float[][] w = new float[rows][inputs];
        float[] bias = new float[rows];
        for (int j = 0; j < rows; j++) {
          bias[j] = (float) r.nextGaussian();
          for (int k = 0; k < inputs; k++) {
            w[j][k] = (float) r.nextGaussian();
          }
        }
        for (int len : new int[] {1, 17, 100, BLOCK}) {
          float[][] simd = new float[rows][BLOCK];
          int from = rows > 2 ? 1 : 0; // a range that does not start at row 0
          SimdLoops.rows(in, w, bias, simd, from, rows, len);
          for (int j = from; j < rows; j++) {
            float[] plain = new float[BLOCK];
            Rows.row(in, w[j], bias[j], plain, len);
            for (int i = 0; i < len; i++) {
              assertEquals(Float.floatToRawIntBits(plain[i]), Float.floatToRawIntBits(simd[j][i]),
                  inputs + " inputs, row " + j + " of " + rows + ", len " + len + ", lane " + i);
            }
          }
        }
      }
    }
  }
}
