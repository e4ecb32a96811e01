package org.metaopt.core.kernel;

import java.util.Locale;

/**
 * The dense products of a network layer, each routed to the faster backend for its size: the flat-loop kernels
 * of {@link DenseOps} (which skip zero inputs) below {@link #ND4J_MIN_MACS} multiply-adds, ND4J's native sgemm
 * at or above it. The threshold is measured ({@code GemmBench}, docs/benchmarks.md): forward plus weight
 * gradient, plain loops win 2.4x at 32x49x32 (50k multiply-adds; ND4J's per-call overhead dominates) and lose
 * 4.5x at 64x196x64 (0.8M) and ~8x at 128x784x128; the threshold sits between the two smallest measured points.
 * The system property {@code metaopt.gemm=plain|nd4j|auto} forces a backend (benchmarks, tests).
 *
 * <p>Not thread-safe: one instance per task (it owns ND4J scratch arrays).
 */
public final class Gemm {
  /** Products of at least this many multiply-adds go to ND4J in {@code auto} mode. */
  public static final long ND4J_MIN_MACS = 200_000L;

  private enum Mode {
    PLAIN,
    ND4J,
    AUTO
  }

  private static final Mode MODE = parse(System.getProperty("metaopt.gemm", "auto"));
  private Nd4jGemm nd4j;

  private static Mode parse(String s) {
    try {
      return Mode.valueOf(s.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("system property metaopt.gemm=" + s + " must be plain, nd4j or auto");
    }
  }

  private boolean useNd4j(int rows, int inDim, int outDim) {
    return switch (MODE) {
      case PLAIN -> false;
      case ND4J -> true;
      case AUTO -> (long) rows * inDim * outDim >= ND4J_MIN_MACS;
    };
  }

  private Nd4jGemm nd4j() {
    if (nd4j == null) {
      nd4j = new Nd4jGemm();
    }
    return nd4j;
  }

  /** {@code out[rows, outDim] += in[rows, inDim] · W}, W row-major {@code [inDim, outDim]} at {@code wOff}. */
  public void addMatmul(float[] in, int rows, int inDim, float[] w, int wOff, int outDim, float[] out) {
    if (useNd4j(rows, inDim, outDim)) {
      nd4j().addMatmul(in, rows, inDim, w, wOff, outDim, out);
    } else {
      DenseOps.addMatmul(in, rows, inDim, w, wOff, outDim, out);
    }
  }

  /** {@code g (at gOff, [inDim, outDim]) += inᵀ · d}. */
  public void addOuterProducts(float[] in, int rows, int inDim, float[] d, int outDim, float[] g, int gOff) {
    if (useNd4j(rows, inDim, outDim)) {
      nd4j().addOuterProducts(in, rows, inDim, d, outDim, g, gOff);
    } else {
      DenseOps.addOuterProducts(in, rows, inDim, d, outDim, g, gOff);
    }
  }
}
