package org.metaopt.core.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/** {@link NewtonSchulz} against {@link NewtonSchulzReference}, its singular values, and degenerate shapes. */
class NewtonSchulzTest {

  static float[] gaussian(long seed, int n) {
    Random r = new Random(seed);
    float[] m = new float[n];
    for (int i = 0; i < n; i++) {
      m[i] = (float) r.nextGaussian();
    }
    return m;
  }

  @ParameterizedTest
  @CsvSource({"64, 32", "32, 64", "16, 16"})
  void mapsEverySingularValueIntoPointSixToOnePointTwo(int rows, int cols) {
    float[] m = gaussian(1, rows * cols);
    float[] out = new float[m.length];
    new NewtonSchulz(new Gemm(Gemm.Backend.PLAIN)).orthogonalize(m, 0, rows, cols, out, 0);
    double[][] o = NewtonSchulzReference.fromFlat(out, 0, rows, cols);
    double[] s = NewtonSchulzReference.singularValues(o);
    assertEquals(Math.min(rows, cols), s.length);
    assertJacobiConverged(o, s);
    for (double v : s) {
      assertTrue(v >= 0.6 && v <= 1.2, rows + "x" + cols + ": singular value " + v + " outside [0.6, 1.2]");
    }
  }

  @ParameterizedTest
  @EnumSource(Gemm.Backend.class)
  void matchesTheDoublePrecisionReference(Gemm.Backend backend) {
    NewtonSchulz ns = new NewtonSchulz(new Gemm(backend));
    for (int[] shape : new int[][] {{64, 32}, {32, 64}, {7, 3}, {5, 5}}) {
      int rows = shape[0];
      int cols = shape[1];
      float[] m = gaussian(rows * 100 + cols, rows * cols);
      for (int i = 0; i < m.length; i++) {
        m[i] *= 1e-3f; // the normalization makes the scale irrelevant
      }
      float[] out = new float[m.length + 3];
      ns.orthogonalize(m, 0, rows, cols, out, 3);
      double[][] expected = NewtonSchulzReference.orthogonalize(NewtonSchulzReference.fromFlat(m, 0, rows, cols));
      double diff = 0;
      double norm = 0;
      for (int i = 0; i < rows; i++) {
        for (int j = 0; j < cols; j++) {
          double d = out[3 + i * cols + j] - expected[i][j];
          diff += d * d;
          norm += expected[i][j] * expected[i][j];
        }
      }
      double rel = Math.sqrt(diff / norm);
      assertTrue(rel <= 1e-4, backend + " " + rows + "x" + cols + ": relative Frobenius error " + rel);
    }
  }

  @Test
  void transposeOfTheInputGivesTheTransposeOfTheOutput() {
    int rows = 64;
    int cols = 32;
    float[] m = gaussian(2, rows * cols);
    float[] mt = new float[m.length];
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        mt[j * rows + i] = m[i * cols + j];
      }
    }
    NewtonSchulz ns = new NewtonSchulz(new Gemm(Gemm.Backend.PLAIN));
    float[] out = new float[m.length];
    float[] outT = new float[m.length];
    ns.orthogonalize(m, 0, rows, cols, out, 0);
    ns.orthogonalize(mt, 0, cols, rows, outT, 0);
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        assertEquals(out[i * cols + j], outT[j * rows + i], 0f); // the same wide matrix is iterated: same bits
      }
    }
  }

  @Test
  void worksInPlaceAndLeavesTheRestOfTheArrays() {
    float[] m = gaussian(3, 2 + 12 + 2);
    float[] copy = m.clone();
    float[] separate = new float[m.length];
    NewtonSchulz ns = new NewtonSchulz(new Gemm(Gemm.Backend.PLAIN));
    ns.orthogonalize(m, 2, 4, 3, separate, 2);
    ns.orthogonalize(m, 2, 4, 3, m, 2);
    for (int i = 2; i < 14; i++) {
      assertEquals(separate[i], m[i], 0f);
    }
    assertEquals(copy[0], m[0]);
    assertEquals(copy[15], m[15]);
    assertEquals(0f, separate[0]);
    assertEquals(0f, separate[15]);
  }

  @ParameterizedTest
  @CsvSource({"1, 9", "9, 1", "1, 1"})
  void aVectorMapsToAboutItsDirection(int rows, int cols) {
    float[] m = gaussian(4, rows * cols);
    float[] out = new float[m.length];
    new NewtonSchulz().orthogonalize(m, 0, rows, cols, out, 0);
    double norm = 0;
    double dot = 0;
    double mNorm = 0;
    for (int i = 0; i < m.length; i++) {
      assertTrue(Float.isFinite(out[i]), "entry " + i + " is " + out[i]);
      norm += out[i] * out[i];
      dot += out[i] * m[i];
      mNorm += m[i] * m[i];
    }
    norm = Math.sqrt(norm);
    assertTrue(norm >= 0.6 && norm <= 1.2, "norm " + norm); // its one singular value
    assertEquals(1.0, dot / (norm * Math.sqrt(mNorm)), 1e-6); // the same direction
  }

  @Test
  void aZeroMatrixMapsToZero() {
    float[] out = new float[12];
    java.util.Arrays.fill(out, 5f);
    new NewtonSchulz().orthogonalize(new float[12], 0, 3, 4, out, 0);
    assertArrayEquals(new float[12], out);
  }

  @Test
  void reservedScratchIsReusedForSmallerMatricesInEitherOrientation() {
    NewtonSchulz ns = new NewtonSchulz(new Gemm(Gemm.Backend.PLAIN));
    ns.reserve(8, 4);
    float[] small = gaussian(5, 6);
    float[] a = new float[6];
    ns.orthogonalize(small, 0, 2, 3, a, 0);
    ns.orthogonalize(gaussian(6, 32), 0, 4, 8, new float[32], 0);
    float[] b = new float[6];
    ns.orthogonalize(small, 0, 2, 3, b, 0);
    assertArrayEquals(a, b); // no state carried from call to call
  }

  @Test
  void rejectsEmptyShapesAndSlicesPastTheArray() {
    NewtonSchulz ns = new NewtonSchulz();
    assertThrows(IllegalArgumentException.class, () -> ns.orthogonalize(new float[4], 0, 0, 4, new float[4], 0));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ns.orthogonalize(new float[4], 1, 2, 2, new float[4], 0));
    assertTrue(e.getMessage().contains("2x2"), e.getMessage());
  }

  /** Sum of s^4 equals the squared Frobenius norm of the Gram matrix only once Jacobi has diagonalized it. */
  private static void assertJacobiConverged(double[][] m, double[] s) {
    double[][] g = m.length <= m[0].length
        ? NewtonSchulzReference.multiply(m, NewtonSchulzReference.transpose(m))
        : NewtonSchulzReference.multiply(NewtonSchulzReference.transpose(m), m);
    double frob = 0;
    for (double[] row : g) {
      for (double v : row) {
        frob += v * v;
      }
    }
    double s4 = 0;
    for (double v : s) {
      s4 += v * v * v * v;
    }
    assertEquals(frob, s4, 1e-9 * frob);
  }
}
