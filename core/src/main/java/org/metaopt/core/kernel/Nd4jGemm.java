package org.metaopt.core.kernel;

import java.nio.FloatBuffer;
import java.util.HashMap;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * ND4J (native BLAS sgemm) versions of the two large dense products, over preallocated float32 arrays per shape
 * that are filled and read through their native buffers. Loading this class does not start ND4J; the first
 * product does. Not thread-safe: one instance per task.
 */
final class Nd4jGemm {
  private final Map<Long, INDArray[]> byShape = new HashMap<>();

  private INDArray[] arrays(int rows, int inDim, int outDim) {
    long key = ((long) rows * 65_537L + inDim) * 65_537L + outDim;
    return byShape.computeIfAbsent(key, k -> new INDArray[] {
        Nd4j.create(DataType.FLOAT, rows, inDim), Nd4j.create(DataType.FLOAT, inDim, outDim),
        Nd4j.create(DataType.FLOAT, rows, outDim)});
  }

  private static void load(INDArray a, float[] src, int off, int n) {
    FloatBuffer b = a.data().asNioFloat();
    b.position(0);
    b.put(src, off, n);
  }

  private static void addBack(INDArray a, float[] dst, int off, int n, float[] scratch) {
    FloatBuffer b = a.data().asNioFloat();
    b.position(0);
    b.get(scratch, 0, n);
    for (int i = 0; i < n; i++) {
      dst[off + i] += scratch[i];
    }
  }

  private float[] scratch = new float[0];

  private float[] scratch(int n) {
    if (scratch.length < n) {
      scratch = new float[n];
    }
    return scratch;
  }

  /** {@code out[rows, outDim] += in[rows, inDim] · W[inDim, outDim]}, W at {@code wOff}. */
  void addMatmul(float[] in, int rows, int inDim, float[] w, int wOff, int outDim, float[] out) {
    INDArray[] a = arrays(rows, inDim, outDim);
    load(a[0], in, 0, rows * inDim);
    load(a[1], w, wOff, inDim * outDim);
    Nd4j.gemm(a[0], a[1], a[2], false, false, 1.0, 0.0);
    addBack(a[2], out, 0, rows * outDim, scratch(rows * outDim));
  }

  /** {@code g[inDim, outDim] (at gOff) += inᵀ · d}. */
  void addOuterProducts(float[] in, int rows, int inDim, float[] d, int outDim, float[] g, int gOff) {
    INDArray[] a = arrays(rows, inDim, outDim);
    load(a[0], in, 0, rows * inDim);
    load(a[2], d, 0, rows * outDim);
    Nd4j.gemm(a[0], a[2], a[1], true, false, 1.0, 0.0);
    addBack(a[1], g, gOff, inDim * outDim, scratch(inDim * outDim));
  }
}
