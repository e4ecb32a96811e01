package org.metaopt.core.kernel;

import java.util.Locale;
import org.metaopt.core.UserError;

/**
 * The three dense-layer products ({@code X W}, {@code D W^T}, {@code X^T D}, accumulating, W row-major
 * {@code [inDim, outDim]} at {@code wOff} in a flat array), each run by the plain {@link DenseOps} loops or by
 * ND4J's BLAS GEMM, whichever is faster at that size.
 *
 * <p>Backend choice: the system property {@code metaopt.gemm} = {@code plain}, {@code nd4j} or {@code auto}
 * (default), read when the instance is made. {@code auto} sends a product to ND4J when
 * {@code rows * inDim * outDim >= } {@link #ND4J_MIN_WORK} multiply-adds, else to the plain loops (which skip
 * zero inputs in {@code X W} and {@code X^T D}). ND4J is created on the first product that uses it, so small
 * networks never pay its start-up. The threshold comes from {@code GemmBench} (see {@link #ND4J_MIN_WORK};
 * figures: docs/benchmarks.md).
 *
 * <p>Not thread-safe: the ND4J backend keeps preallocated arrays per shape; one instance per task instance.
 */
public final class Gemm {
  /**
   * Smallest {@code rows * inDim * outDim} sent to ND4J under {@code auto}: 2^18 = 262,144 multiply-adds. From this
   * size up {@code GemmBench} found ND4J (copies included) never slower than the zero-skipping plain loops; below
   * it ND4J's per-call cost dominates. The threshold also keeps a 64-32-10 network at batch 64 (first layer 131k)
   * entirely plain, so it never pays ND4J's start. Figures: docs/benchmarks.md.
   */
  public static final long ND4J_MIN_WORK = 1L << 18;

  /** Which implementation runs a product. */
  public enum Backend {
    /** Always the flat {@link DenseOps} loops. */
    PLAIN,
    /** Always ND4J. */
    ND4J,
    /** ND4J from {@link #ND4J_MIN_WORK} multiply-adds up, plain below. */
    AUTO
  }

  private final Backend backend;
  private Nd4jGemm nd4j;

  /** A GEMM with the backend named by the system property {@code metaopt.gemm} (default {@code auto}). */
  public Gemm() {
    this(fromProperty());
  }

  /** A GEMM with the given backend. */
  public Gemm(Backend backend) {
    if (backend == null) {
      throw new IllegalArgumentException("backend must not be null");
    }
    this.backend = backend;
  }

  /** The backend named by {@code -Dmetaopt.gemm=plain|nd4j|auto}; {@code auto} when unset. */
  public static Backend fromProperty() {
    String v = System.getProperty("metaopt.gemm", "auto").trim().toLowerCase(Locale.ROOT);
    return switch (v) {
      case "plain" -> Backend.PLAIN;
      case "nd4j" -> Backend.ND4J;
      case "auto", "" -> Backend.AUTO;
      default -> throw new UserError("system property metaopt.gemm='" + v
          + "' is not a GEMM backend; use plain, nd4j or auto");
    };
  }

  public Backend backend() {
    return backend;
  }

  /** Whether this instance has started its ND4J backend (false until a product went to ND4J). */
  public boolean usedNd4j() {
    return nd4j != null;
  }

  /** Whether a product of {@code rows * inDim * outDim} multiply-adds goes to ND4J. */
  public boolean usesNd4j(int rows, int inDim, int outDim) {
    return switch (backend) {
      case PLAIN -> false;
      case ND4J -> true;
      case AUTO -> (long) rows * inDim * outDim >= ND4J_MIN_WORK;
    };
  }

  /** {@code out[rows, outDim] += in[rows, inDim] * W}. */
  public void addMatmul(float[] in, int rows, int inDim, float[] w, int wOff, int outDim, float[] out) {
    if (usesNd4j(rows, inDim, outDim)) {
      nd4j().addMatmul(in, rows, inDim, w, wOff, outDim, out);
    } else {
      DenseOps.addMatmul(in, rows, inDim, w, wOff, outDim, out);
    }
  }

  /** {@code out[rows, inDim] += d[rows, outDim] * W^T}. */
  public void addMatmulTransposed(float[] d, int rows, int outDim, float[] w, int wOff, int inDim, float[] out) {
    if (usesNd4j(rows, inDim, outDim)) {
      nd4j().addMatmulTransposed(d, rows, outDim, w, wOff, inDim, out);
    } else {
      DenseOps.addMatmulTransposed(d, rows, outDim, w, wOff, inDim, out);
    }
  }

  /** {@code g[inDim, outDim] (at gOff) += in[rows, inDim]^T * d[rows, outDim]}. */
  public void addOuterProducts(float[] in, int rows, int inDim, float[] d, int outDim, float[] g, int gOff) {
    if (usesNd4j(rows, inDim, outDim)) {
      nd4j().addOuterProducts(in, rows, inDim, d, outDim, g, gOff);
    } else {
      DenseOps.addOuterProducts(in, rows, inDim, d, outDim, g, gOff);
    }
  }

  private Nd4jGemm nd4j() {
    if (nd4j == null) {
      nd4j = new Nd4jGemm();
    }
    return nd4j;
  }
}
