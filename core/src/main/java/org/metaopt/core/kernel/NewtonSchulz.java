package org.metaopt.core.kernel;

import java.util.Arrays;

/**
 * Newton–Schulz orthogonalization of a matrix, the quintic iteration of Muon (Keller Jordan 2024) and Celo2:
 * an approximation of {@code U V^T} from {@code M = U S V^T} that maps every nonzero singular value into roughly
 * {@code [0.7, 1.2]} (not exactly 1: the coefficients trade accuracy for a fast rise of small singular values).
 *
 * <p>For a row-major {@code R x C} float matrix: transpose if {@code R > C} (work on the wide orientation, so the
 * Gram matrix is the small one); {@code X <- X / (||X||_F + 1e-8)}; {@value #STEPS} times
 * {@code A = X X^T; B = b A + c A^2; X <- a X + B X} with {@code (a, b, c) = (3.4445, -4.7750, 2.0315)};
 * transpose back. The products run on a {@link Gemm}, by default {@link Gemm#fastest} (the Vector API kernel; without
 * it, or with {@code -Dmetaopt.gemm=auto}, plain loops for small matrices and ND4J's resident arrays from
 * {@link Gemm#ND4J_MIN_WORK} multiply-adds up); the norm is summed in double. A zero matrix maps to zero. Cost per
 * call: {@value #STEPS} times {@code 2 r^2 c + r^3} multiply-adds with
 * {@code r = min(R, C)}, {@code c = max(R, C)}.
 *
 * <p>An instance owns its scratch buffers ({@code 2 R C + 3 min(R,C)^2} floats for the largest matrix seen, or
 * reserved up front with {@link #reserve}); once sized, {@link #orthogonalize} allocates nothing. Not
 * thread-safe: one instance per optimizer (its {@link Gemm} is not thread-safe either).
 */
public final class NewtonSchulz {
  /** Coefficient {@code a} of {@code a X + (b A + c A^2) X}. */
  public static final float A = 3.4445f;
  /** Coefficient {@code b}. */
  public static final float B = -4.7750f;
  /** Coefficient {@code c}. */
  public static final float C = 2.0315f;
  /** Iterations. */
  public static final int STEPS = 5;
  /** Added to the Frobenius norm before dividing by it. */
  public static final double EPSILON = 1e-8;

  private final Gemm gemm;
  /** The resident-array ND4J iterations, made when the first {@code X X^T} goes to ND4J. */
  private Nd4jNewtonSchulz nd4j;
  private float[] x = new float[0];
  private float[] next = new float[0];
  private float[] gram = new float[0];
  private float[] scaledGram = new float[0];
  private float[] poly = new float[0];

  /** An orthogonalizer on {@link Gemm#fastest} (the backend {@code -Dmetaopt.gemm} names, else the Vector API's). */
  public NewtonSchulz() {
    this(Gemm.fastest());
  }

  /** An orthogonalizer whose products run on {@code gemm} (which it then owns: not to be shared across threads). */
  public NewtonSchulz(Gemm gemm) {
    if (gemm == null) {
      throw new IllegalArgumentException("gemm must not be null");
    }
    this.gemm = gemm;
  }

  /**
   * Sizes the scratch for a {@code rows x cols} matrix (either orientation), so that later calls up to that size
   * allocate nothing.
   */
  public void reserve(int rows, int cols) {
    checkShape(rows, cols);
    int r = Math.min(rows, cols);
    int n = Math.multiplyExact(rows, cols);
    if (x.length < n) {
      x = new float[n];
      next = new float[n];
    }
    int rr = r * r;
    if (gram.length < rr) {
      gram = new float[rr];
      scaledGram = new float[rr];
      poly = new float[rr];
    }
  }

  /**
   * Writes the orthogonalization of the row-major {@code rows x cols} matrix at {@code in[inOff..]} into
   * {@code out[outOff..]} (same shape, row-major). {@code in} is only read; {@code out} may be the same slice
   * as {@code in}.
   */
  public void orthogonalize(float[] in, int inOff, int rows, int cols, float[] out, int outOff) {
    reserve(rows, cols);
    final int n = rows * cols;
    if (inOff < 0 || inOff + n > in.length || outOff < 0 || outOff + n > out.length) {
      throw new IllegalArgumentException("a " + rows + "x" + cols + " matrix at offsets " + inOff + " (in, length "
          + in.length + ") and " + outOff + " (out, length " + out.length + ") runs past an array");
    }
    final boolean transpose = rows > cols;
    final int r = transpose ? cols : rows; // the wide orientation: r <= c
    final int c = transpose ? rows : cols;
    float[] x = this.x;
    float[] next = this.next;
    if (transpose) {
      transpose(in, inOff, rows, cols, x, 0);
    } else {
      System.arraycopy(in, inOff, x, 0, n);
    }
    double sumSq = 0;
    for (int i = 0; i < n; i++) {
      sumSq += (double) x[i] * x[i];
    }
    final float inv = (float) (1 / (Math.sqrt(sumSq) + EPSILON));
    for (int i = 0; i < n; i++) {
      x[i] *= inv;
    }
    if (gemm.usesNd4j(r, r, c)) { // the big products on ND4J: keep the iterates resident there
      if (nd4j == null) {
        nd4j = new Nd4jNewtonSchulz();
      }
      nd4j.iterate(x, r, c);
    } else {
      iteratePlain(x, next, r, c);
    }
    if (transpose) {
      transpose(x, 0, r, c, out, outOff);
    } else {
      System.arraycopy(x, 0, out, outOff, n);
    }
  }

  /**
   * The {@value #STEPS} iterations on {@link #gemm} with {@code x} and {@code next} as the two iterates; the
   * result ends in {@code x} (copied there after an odd number of swaps).
   */
  private void iteratePlain(float[] x0, float[] next0, int r, int c) {
    final int n = r * c;
    float[] x = x0;
    float[] next = next0;
    final int rr = r * r;
    final float[] gram = this.gram;
    final float[] scaledGram = this.scaledGram;
    final float[] poly = this.poly;
    for (int s = 0; s < STEPS; s++) {
      // A = X X^T
      Arrays.fill(gram, 0, rr, 0f);
      gemm.addMatmulTransposed(x, r, c, x, 0, r, gram);
      // B = b A + (c A) A
      for (int i = 0; i < rr; i++) {
        float a = gram[i];
        poly[i] = B * a;
        scaledGram[i] = C * a;
      }
      gemm.addMatmul(scaledGram, r, r, gram, 0, r, poly);
      // X' = a X + B X
      for (int i = 0; i < n; i++) {
        next[i] = A * x[i];
      }
      gemm.addMatmul(poly, r, r, x, 0, c, next);
      float[] t = x;
      x = next;
      next = t;
    }
    if (x != x0) {
      System.arraycopy(x, 0, x0, 0, n);
    }
  }

  /** {@code dst[cols x rows] = src[rows x cols]^T}, both row-major. */
  private static void transpose(float[] src, int srcOff, int rows, int cols, float[] dst, int dstOff) {
    for (int i = 0; i < rows; i++) {
      int row = srcOff + i * cols;
      for (int j = 0; j < cols; j++) {
        dst[dstOff + j * rows + i] = src[row + j];
      }
    }
  }

  private static void checkShape(int rows, int cols) {
    if (rows < 1 || cols < 1) {
      throw new IllegalArgumentException("matrix shape must be at least 1x1, got " + rows + "x" + cols);
    }
  }
}
