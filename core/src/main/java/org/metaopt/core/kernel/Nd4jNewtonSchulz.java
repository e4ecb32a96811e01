package org.metaopt.core.kernel;

import java.nio.FloatBuffer;
import java.util.HashMap;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@link NewtonSchulz}'s iterations on ND4J arrays that stay resident for all {@link NewtonSchulz#STEPS} steps:
 * the normalized wide matrix is copied in once and the result out once, instead of copying every operand in and
 * every product out of each GEMM (as {@link Nd4jGemm} does per call). The same products in the same roles as the
 * plain path ({@code A = X X^T}; {@code B = b A + (c A) A}; {@code X' = a X + B X}), so the results agree up to
 * the BLAS's summation order.
 *
 * <p>Only {@link NewtonSchulz} creates it, when its {@link Gemm} sends the {@code X X^T} product to ND4J. Arrays
 * are made once per shape; one thread only.
 */
final class Nd4jNewtonSchulz {
  private final Map<Long, INDArray[]> cache = new HashMap<>();

  /** Runs the iterations on the row-major {@code r x c} matrix {@code x[0..r c)} (normalized, r <= c) in place. */
  void iterate(float[] x, int r, int c) {
    final int n = r * c;
    INDArray[] a = arrays(r, c);
    INDArray xa = a[0];
    INDArray next = a[1];
    final INDArray gram = a[2];
    final INDArray scaled = a[3];
    final INDArray poly = a[4];
    put(xa, x, n);
    for (int s = 0; s < NewtonSchulz.STEPS; s++) {
      Nd4j.gemm(xa, xa, gram, false, true, 1.0, 0.0);
      gram.mul(NewtonSchulz.B, poly);
      gram.mul(NewtonSchulz.C, scaled);
      Nd4j.gemm(scaled, gram, poly, false, false, 1.0, 1.0);
      xa.mul(NewtonSchulz.A, next);
      Nd4j.gemm(poly, xa, next, false, false, 1.0, 1.0);
      INDArray t = xa;
      xa = next;
      next = t;
    }
    get(xa, x, n);
  }

  private INDArray[] arrays(int r, int c) {
    long key = ((long) r << 32) | c;
    return cache.computeIfAbsent(key, k -> new INDArray[] {
        Nd4j.create(DataType.FLOAT, r, c), Nd4j.create(DataType.FLOAT, r, c), Nd4j.create(DataType.FLOAT, r, r),
        Nd4j.create(DataType.FLOAT, r, r), Nd4j.create(DataType.FLOAT, r, r)});
  }

  private static void put(INDArray a, float[] src, int n) {
    FloatBuffer b = a.data().asNioFloat();
    b.put(src, 0, n);
  }

  private static void get(INDArray a, float[] dst, int n) {
    FloatBuffer b = a.data().asNioFloat();
    b.get(dst, 0, n);
  }
}
