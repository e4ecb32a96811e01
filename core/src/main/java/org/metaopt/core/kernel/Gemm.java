package org.metaopt.core.kernel;

import java.util.Locale;
import org.metaopt.core.UserError;

/**
 * The three dense-layer products ({@code X W}, {@code D W^T}, {@code X^T D}, accumulating, W row-major
 * {@code [inDim, outDim]} at {@code wOff} in a flat array), run by the Vector API GEMM ({@link SimdGemm}), the
 * plain {@link DenseOps} loops or ND4J's BLAS GEMM.
 *
 * <p>Backend choice: the system property {@code metaopt.gemm} = {@code simd}, {@code plain}, {@code nd4j} or
 * {@code auto}, read when the instance is made. Unset, the networks' products and Newton–Schulz (Muon, celo2) run
 * on {@link #fastest}: {@code simd} when the Vector API is there ({@link Simd#ENABLED}), else {@code auto}; a bare
 * {@code new Gemm()} gets {@code auto}. {@code simd} beats ND4J (OpenBLAS 0.3.19, which runs its AVX2 Haswell kernel
 * on this machine's AVX-512 cores) and the plain loops at every layer size measured (docs/benchmarks.md, "The Adam
 * step against JAX/XLA"), and runs Newton–Schulz 2.5–9x faster than ND4J's resident-array iterations on the
 * meta-training tasks' matrices (256x128, 128x32); on 784x128 between 0.87x and 1.9x of ND4J's time depending on the
 * JVM (docs/benchmarks.md, "Newton–Schulz on the Vector API GEMM").
 * {@code auto} sends a product to ND4J when
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

  /** The system property that names the backend. */
  public static final String PROPERTY = "metaopt.gemm";

  /** Which implementation runs a product. */
  public enum Backend {
    /** Always the Vector API kernel ({@link SimdGemm}); needs {@link Simd#ENABLED}. */
    SIMD,
    /** Always the flat {@link DenseOps} loops. */
    PLAIN,
    /** Always ND4J. */
    ND4J,
    /** ND4J from {@link #ND4J_MIN_WORK} multiply-adds up, plain below. */
    AUTO
  }

  private final Backend backend;
  private Nd4jGemm nd4j;
  private SimdGemm simd;

  /** A GEMM with the backend named by the system property {@code metaopt.gemm} (default {@code auto}). */
  public Gemm() {
    this(fromProperty());
  }

  /** A GEMM with the given backend. */
  public Gemm(Backend backend) {
    if (backend == null) {
      throw new IllegalArgumentException("backend must not be null");
    }
    if (backend == Backend.SIMD && !Simd.ENABLED) {
      throw new UserError("the simd GEMM needs the Vector API: start the JVM with --add-modules "
          + "jdk.incubator.vector (./metaopt does) and without -D" + Simd.PROPERTY + "=false, or use "
          + "-Dmetaopt.gemm=auto");
    }
    this.backend = backend;
  }

  /**
   * The fastest GEMM here, for the networks' layers and Newton–Schulz: the backend {@code -Dmetaopt.gemm} names, else
   * {@code simd} when {@link Simd#ENABLED}, else {@code auto}.
   */
  public static Gemm fastest() {
    String v = System.getProperty(PROPERTY);
    if (v == null || v.isBlank()) {
      return new Gemm(Simd.ENABLED ? Backend.SIMD : Backend.AUTO);
    }
    return new Gemm(fromProperty());
  }

  /** The backend named by {@code -Dmetaopt.gemm=simd|plain|nd4j|auto}; {@code auto} when unset. */
  public static Backend fromProperty() {
    String v = System.getProperty(PROPERTY, "auto").trim().toLowerCase(Locale.ROOT);
    return switch (v) {
      case "simd" -> Backend.SIMD;
      case "plain" -> Backend.PLAIN;
      case "nd4j" -> Backend.ND4J;
      case "auto", "" -> Backend.AUTO;
      default -> throw new UserError("system property " + PROPERTY + "='" + v
          + "' is not a GEMM backend; use simd, plain, nd4j or auto");
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
      case SIMD, PLAIN -> false;
      case ND4J -> true;
      case AUTO -> (long) rows * inDim * outDim >= ND4J_MIN_WORK;
    };
  }

  /** {@code out[rows, outDim] += in[rows, inDim] * W}. */
  public void addMatmul(float[] in, int rows, int inDim, float[] w, int wOff, int outDim, float[] out) {
    if (backend == Backend.SIMD) {
      simd().addMatmul(in, rows, inDim, w, wOff, outDim, out);
    } else if (usesNd4j(rows, inDim, outDim)) {
      nd4j().addMatmul(in, rows, inDim, w, wOff, outDim, out);
    } else {
      DenseOps.addMatmul(in, rows, inDim, w, wOff, outDim, out);
    }
  }

  /** {@code out[rows, inDim] += d[rows, outDim] * W^T}. */
  public void addMatmulTransposed(float[] d, int rows, int outDim, float[] w, int wOff, int inDim, float[] out) {
    if (backend == Backend.SIMD) {
      simd().addMatmulTransposed(d, rows, outDim, w, wOff, inDim, out);
    } else if (usesNd4j(rows, inDim, outDim)) {
      nd4j().addMatmulTransposed(d, rows, outDim, w, wOff, inDim, out);
    } else {
      DenseOps.addMatmulTransposed(d, rows, outDim, w, wOff, inDim, out);
    }
  }

  /** {@code g[inDim, outDim] (at gOff) += in[rows, inDim]^T * d[rows, outDim]}. */
  public void addOuterProducts(float[] in, int rows, int inDim, float[] d, int outDim, float[] g, int gOff) {
    if (backend == Backend.SIMD) {
      simd().addOuterProducts(in, rows, inDim, d, outDim, g, gOff);
    } else if (usesNd4j(rows, inDim, outDim)) {
      nd4j().addOuterProducts(in, rows, inDim, d, outDim, g, gOff);
    } else {
      DenseOps.addOuterProducts(in, rows, inDim, d, outDim, g, gOff);
    }
  }

  private SimdGemm simd() {
    if (simd == null) {
      simd = new SimdGemm();
    }
    return simd;
  }

  private Nd4jGemm nd4j() {
    if (nd4j == null) {
      nd4j = new Nd4jGemm();
    }
    return nd4j;
  }
}
