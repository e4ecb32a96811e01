package org.metaopt.core.kernel;

/**
 * Row-major dense-layer products over flat {@code float[]} buffers: {@code X W}, {@code D W^T}, {@code X^T D}.
 *
 * <p>Matrices are row-major; {@code W} is {@code [inDim, outDim]} starting at {@code wOff}, activations are
 * {@code [rows, dim]} starting at 0. Products accumulate ({@code +=}) into the output. Zero entries of the
 * left operand are skipped in {@link #addMatmul} and {@link #addOuterProducts}: on Fashion-MNIST about half
 * the pixels and, after a ReLU, about half the hidden units are zero. Measured on 128 real Fashion-MNIST
 * test images times a 784x128 matrix (Java 17, one core): 2.9 ms skipping zeros, 5.4 ms without
 * ({@link #addMatmulDense}); blocking four rows to reuse each row of W was slower (3.7 ms), since only 22% of
 * four-row input columns are all zero. C2 (JDK 17) does not vectorize these offset axpys (it cannot rule out
 * aliasing), so they run at about 2 GFMA/s; see {@code DenseOpsBench} in ops. With the Vector API, {@link #axpy}
 * runs slices of 16 and more on SIMD ({@link DenseSimd}, the same bits). Stateless and allocation-free.
 */
public final class DenseOps {
  /** Slices at least this long go to {@link DenseSimd} when the Vector API is there (the same bits). */
  private static final int SIMD_MIN = 16;
  private static final boolean SIMD = org.metaopt.core.kernel.Simd.ENABLED;

  private DenseOps() {}

  /**
   * {@code y[yOff..yOff+n) += a * x[xOff..xOff+n)}, for slices that do not overlap. On SIMD from {@link #SIMD_MIN}
   * elements ({@link DenseSimd}; with it mlp-lopt-h4's meta-training, whose suite's networks have 32-wide layers,
   * ran 17% more optimizee steps per second).
   */
  public static void axpy(float a, float[] x, int xOff, float[] y, int yOff, int n) {
    if (SIMD && n >= SIMD_MIN) {
      DenseSimd.axpy(a, x, xOff, y, yOff, n);
      return;
    }
    for (int j = 0; j < n; j++) {
      y[yOff + j] += a * x[xOff + j];
    }
  }

  /** Dot product of two length-{@code n} slices, with four partial sums to shorten the dependency chain. */
  public static float dot(float[] x, int xOff, float[] y, int yOff, int n) {
    float s0 = 0;
    float s1 = 0;
    float s2 = 0;
    float s3 = 0;
    int j = 0;
    for (; j + 3 < n; j += 4) {
      s0 += x[xOff + j] * y[yOff + j];
      s1 += x[xOff + j + 1] * y[yOff + j + 1];
      s2 += x[xOff + j + 2] * y[yOff + j + 2];
      s3 += x[xOff + j + 3] * y[yOff + j + 3];
    }
    for (; j < n; j++) {
      s0 += x[xOff + j] * y[yOff + j];
    }
    return (s0 + s1) + (s2 + s3);
  }

  /** Sets every one of the first {@code rows} rows of {@code out} ({@code [rows, dim]}) to {@code b[bOff..bOff+dim)}. */
  public static void broadcastRows(float[] out, int rows, int dim, float[] b, int bOff) {
    for (int r = 0; r < rows; r++) {
      System.arraycopy(b, bOff, out, r * dim, dim);
    }
  }

  /** {@code out[rows, outDim] += in[rows, inDim] * W}, skipping zero entries of {@code in}. */
  public static void addMatmul(float[] in, int rows, int inDim, float[] w, int wOff, int outDim, float[] out) {
    for (int r = 0; r < rows; r++) {
      int inRow = r * inDim;
      int outRow = r * outDim;
      for (int i = 0; i < inDim; i++) {
        float xi = in[inRow + i];
        if (xi != 0f) {
          axpy(xi, w, wOff + i * outDim, out, outRow, outDim);
        }
      }
    }
  }

  /** {@link #addMatmul} without the zero test, for benchmarks and dense inputs. */
  public static void addMatmulDense(float[] in, int rows, int inDim, float[] w, int wOff, int outDim, float[] out) {
    for (int r = 0; r < rows; r++) {
      int inRow = r * inDim;
      int outRow = r * outDim;
      for (int i = 0; i < inDim; i++) {
        axpy(in[inRow + i], w, wOff + i * outDim, out, outRow, outDim);
      }
    }
  }

  /** {@code out[rows, inDim] += d[rows, outDim] * W^T}: each entry a dot of a row of {@code d} with a row of W. */
  public static void addMatmulTransposed(float[] d, int rows, int outDim, float[] w, int wOff, int inDim, float[] out) {
    for (int r = 0; r < rows; r++) {
      int dRow = r * outDim;
      int outRow = r * inDim;
      for (int i = 0; i < inDim; i++) {
        out[outRow + i] += dot(w, wOff + i * outDim, d, dRow, outDim);
      }
    }
  }

  /** {@code g[inDim, outDim] (at gOff) += in[rows, inDim]^T * d[rows, outDim]}, skipping zero entries of {@code in}. */
  public static void addOuterProducts(float[] in, int rows, int inDim, float[] d, int outDim, float[] g, int gOff) {
    for (int r = 0; r < rows; r++) {
      int inRow = r * inDim;
      int dRow = r * outDim;
      for (int i = 0; i < inDim; i++) {
        float xi = in[inRow + i];
        if (xi != 0f) {
          axpy(xi, d, dRow, g, gOff + i * outDim, outDim);
        }
      }
    }
  }

  /** {@code g[gOff..gOff+dim) += } the column sums of {@code d[rows, dim]}. */
  public static void addColumnSums(float[] d, int rows, int dim, float[] g, int gOff) {
    for (int r = 0; r < rows; r++) {
      axpy(1f, d, r * dim, g, gOff, dim);
    }
  }
}
