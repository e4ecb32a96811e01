package org.metaopt.core.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.metaopt.core.kernel.Simd;

/** {@link DenseOps#axpy} (on SIMD from 16 elements, {@link DenseSimd}) against the plain loop, bit for bit. */
class DenseOpsTest {

  @Test
  void axpyGivesThePlainLoopsBitsAtEveryLengthAndOffset() {
    assertTrue(Simd.moduleAvailable(), "surefire starts the test JVM with --add-modules jdk.incubator.vector");
    SplittableRandom r = new SplittableRandom(3);
    float[] x = new float[200];
    float[] y0 = new float[200];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) (r.nextGaussian() * Math.pow(10, r.nextInt(12) - 6));
      y0[i] = (float) (r.nextGaussian() * Math.pow(10, r.nextInt(12) - 6));
    }
    for (int n : new int[] {0, 1, 10, 15, 16, 17, 31, 32, 33, 64, 100}) {
      for (int xOff : new int[] {0, 3, 50}) {
        for (int yOff : new int[] {0, 7, 90}) {
          float a = (float) r.nextGaussian();
          float[] plain = y0.clone();
          for (int j = 0; j < n; j++) {
            plain[yOff + j] += a * x[xOff + j];
          }
          float[] y = y0.clone();
          DenseOps.axpy(a, x, xOff, y, yOff, n);
          for (int i = 0; i < y.length; i++) {
            assertEquals(Float.floatToRawIntBits(plain[i]), Float.floatToRawIntBits(y[i]),
                "n " + n + ", offsets " + xOff + "/" + yOff + ", index " + i);
          }
        }
      }
    }
  }
}
