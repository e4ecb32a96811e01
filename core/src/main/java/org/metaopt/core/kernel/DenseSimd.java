package org.metaopt.core.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The SIMD form ({@code jdk.incubator.vector}) of {@link DenseOps#axpy}: per lane the same multiply, then the same
 * add, so the same bits ({@code DenseOpsTest}). C2 (JDK 17) leaves {@link DenseOps}' offset loop scalar (it cannot
 * rule out that the two slices overlap), and the small networks of the meta-training suite spend most of their
 * forward and backward passes in it. Loaded only when {@link org.metaopt.core.kernel.Simd#ENABLED}. Stateless.
 */
final class DenseSimd {
  static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
  static final int LANES = SPECIES.length();

  private DenseSimd() {}

  /** {@code y[yOff..yOff+n) += a * x[xOff..xOff+n)} for slices that do not overlap. */
  static void axpy(float a, float[] x, int xOff, float[] y, int yOff, int n) {
    int j = 0;
    for (; j + LANES <= n; j += LANES) {
      FloatVector.fromArray(SPECIES, y, yOff + j).add(FloatVector.fromArray(SPECIES, x, xOff + j).mul(a))
          .intoArray(y, yOff + j);
    }
    for (; j < n; j++) {
      y[yOff + j] += a * x[xOff + j];
    }
  }
}
