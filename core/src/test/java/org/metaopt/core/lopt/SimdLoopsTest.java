package org.metaopt.core.lopt;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@link SimdLoops} against {@link Rows} and {@link FastMathLoops}, bit for bit. */
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

  @Test
  void sigmoidAndTanhMatchFastMathLoopsOnEveryKindOfInput() {
    float[] x = new float[BLOCK];
    SplittableRandom r = new SplittableRandom(9);
    for (int i = 0; i < BLOCK; i++) {
      x[i] = (float) (r.nextGaussian() * Math.pow(10, r.nextInt(8) - 4));
    }
    float[] special = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0f, -0f, Float.MIN_VALUE,
        -Float.MIN_VALUE, Float.MAX_VALUE, -Float.MAX_VALUE, FastMath.TANH_CLAMP, -FastMath.TANH_CLAMP,
        2 * FastMath.TANH_CLAMP, Math.nextUp(FastMath.TANH_CLAMP), 1f, -1f, 30f, -30f};
    System.arraycopy(special, 0, x, 0, special.length);
    for (int len : new int[] {special.length, BLOCK}) {
      float[] a = x.clone();
      float[] b = x.clone();
      FastMathLoops.tanh(a, len);
      SimdLoops.tanh(b, len);
      same("tanh", x, a, b, len);
      a = x.clone();
      b = x.clone();
      FastMathLoops.sigmoid(a, len);
      SimdLoops.sigmoid(b, len);
      same("sigmoid", x, a, b, len);
    }
  }

  @Test
  void asinhRatioAndLogMatchFastMathLoopsAndFlagTheLanesBeyondTheSeries() {
    SplittableRandom r = new SplittableRandom(13);
    for (int len : new int[] {1, 31, 200, BLOCK}) {
      for (boolean withBeyond : new boolean[] {false, true}) {
        float[] a = new float[BLOCK];
        float[] m = new float[BLOCK];
        for (int i = 0; i < BLOCK; i++) {
          double scale = Math.pow(10, r.nextDouble() * 40 - 30); // m from ~1e-60 to 1e20 (as m + 1e-16 and up)
          m[i] = (float) Math.max(scale * scale, 1e-30);
          double ratio = r.nextDouble() * 3.9 - 1.95; // |a / sqrt(m)| < 2: the series
          a[i] = (float) (ratio * Math.sqrt(m[i]));
        }
        a[0] = 0f;
        a[Math.min(len, BLOCK) - 1] = -0f;
        if (withBeyond) {
          a[len / 2] = (float) (50 * Math.sqrt(m[len / 2])); // beyond the series' range
        }
        java.util.Arrays.fill(a, len, SimdLoops.padded(len), 0f); // the caller's padding
        java.util.Arrays.fill(m, len, SimdLoops.padded(len), 1f);
        float[] asinhPlain = new float[BLOCK];
        float[] logPlain = new float[BLOCK];
        float[] asinhSimd = new float[BLOCK];
        float[] logSimd = new float[BLOCK];
        boolean plainBeyond = FastMathLoops.asinhRatio(a, m, asinhPlain, len) > 0f;
        FastMathLoops.log(m, logPlain, new float[BLOCK], len);
        boolean simdBeyond = SimdLoops.asinhRatioAndLog(a, m, asinhSimd, logSimd, len);
        assertEquals(withBeyond, plainBeyond, "the plain loop's flag, len " + len);
        assertEquals(plainBeyond, simdBeyond, "len " + len);
        same("asinhRatio", a, asinhPlain, asinhSimd, len);
        same("log", m, logPlain, logSimd, len);
      }
    }
  }

  private static void same(String f, float[] x, float[] a, float[] b, int len) {
    for (int i = 0; i < len; i++) {
      assertEquals(Float.floatToRawIntBits(a[i]), Float.floatToRawIntBits(b[i]), f + "(" + x[i] + ")");
    }
  }
}
