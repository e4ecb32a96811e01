package org.metaopt.core.kernel;

import java.nio.FloatBuffer;
import java.util.HashMap;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The ND4J backend of {@link Gemm}: copies the operands into preallocated float32 {@link INDArray}s (one per
 * shape and operand role), runs {@code Nd4j.gemm} with {@code beta = 1} and copies the result back.
 *
 * <p>Only {@link Gemm} creates it, on the first product above the threshold, so runs without a large product
 * never start ND4J. Owns its arrays: one thread only.
 */
final class Nd4jGemm {
  private final Map<Long, INDArray[]> cache = new HashMap<>();

  /** {@code out[rows, outDim] += in[rows, inDim] * W}. */
  void addMatmul(float[] in, int rows, int inDim, float[] w, int wOff, int outDim, float[] out) {
    INDArray[] m = arrays(0, rows, inDim, outDim, rows, inDim, inDim, outDim, rows, outDim);
    put(m[0], in, 0, rows * inDim);
    put(m[1], w, wOff, inDim * outDim);
    put(m[2], out, 0, rows * outDim);
    Nd4j.gemm(m[0], m[1], m[2], false, false, 1.0, 1.0);
    get(m[2], out, 0, rows * outDim);
  }

  /** {@code out[rows, inDim] += d[rows, outDim] * W^T}. */
  void addMatmulTransposed(float[] d, int rows, int outDim, float[] w, int wOff, int inDim, float[] out) {
    INDArray[] m = arrays(1, rows, inDim, outDim, rows, outDim, inDim, outDim, rows, inDim);
    put(m[0], d, 0, rows * outDim);
    put(m[1], w, wOff, inDim * outDim);
    put(m[2], out, 0, rows * inDim);
    Nd4j.gemm(m[0], m[1], m[2], false, true, 1.0, 1.0);
    get(m[2], out, 0, rows * inDim);
  }

  /** {@code g[inDim, outDim] (at gOff) += in[rows, inDim]^T * d[rows, outDim]}. */
  void addOuterProducts(float[] in, int rows, int inDim, float[] d, int outDim, float[] g, int gOff) {
    INDArray[] m = arrays(2, rows, inDim, outDim, rows, inDim, rows, outDim, inDim, outDim);
    put(m[0], in, 0, rows * inDim);
    put(m[1], d, 0, rows * outDim);
    put(m[2], g, gOff, inDim * outDim);
    Nd4j.gemm(m[0], m[1], m[2], true, false, 1.0, 1.0);
    get(m[2], g, gOff, inDim * outDim);
  }

  /** The three arrays {@code [a0, a1] [b0, b1] [c0, c1]} for product {@code kind} at this shape, made once. */
  private INDArray[] arrays(int kind, int rows, int inDim, int outDim, int a0, int a1, int b0, int b1, int c0, int c1) {
    long key = ((long) kind << 60) | ((long) rows << 40) | ((long) inDim << 20) | outDim;
    return cache.computeIfAbsent(key, k -> new INDArray[] {
        Nd4j.create(DataType.FLOAT, a0, a1), Nd4j.create(DataType.FLOAT, b0, b1), Nd4j.create(DataType.FLOAT, c0, c1)});
  }

  private static void put(INDArray a, float[] src, int off, int n) {
    FloatBuffer b = a.data().asNioFloat();
    b.put(src, off, n);
  }

  private static void get(INDArray a, float[] dst, int off, int n) {
    FloatBuffer b = a.data().asNioFloat();
    b.get(dst, off, n);
  }
}
