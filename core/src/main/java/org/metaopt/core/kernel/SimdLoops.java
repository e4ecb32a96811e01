package org.metaopt.core.kernel;


import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The SIMD ({@code jdk.incubator.vector}) form of {@link Rows#row}: the same float operations in the same order, so
 * the same bits ({@code SimdLoopsTest}), faster; and the machine's vector shape for the other SIMD kernels. Used
 * only when {@link Simd#ENABLED}; public for the {@code hrnn} subpackage.
 *
 * <p>{@link #rows} runs over whole chunks of {@link #LANES}: up to {@link #padded}{@code (len)}, which must not
 * exceed the rows' length, and lanes from {@code len} on get values computed from whatever the rows hold there
 * (callers read only {@code [0, len)}). Eight output rows at a time (then four or two rows over two chunks), each a
 * multiply-add chain over the inputs in order (as {@link Rows#row}) held in a register, so that eight independent
 * chains cover the multiply-add latency and an input is loaded once for eight rows: ~84 against ~58 GFLOP/s for
 * {@link Rows} on 22 inputs and 512 coordinates (AVX-512, JDK 17).
 *
 * <p>Every method that holds Vector API calls is larger than C2's inlining limit for hot methods (325 bytecodes),
 * so it is compiled alone; inlined into a large caller, C2 can run out of its node budget there and leave Vector
 * API calls out-of-line, with their vectors boxed on the heap ({@code LearnedOptimizerBench -prof gc} shows it as
 * allocation per step).
 *
 * <p>Every kernel uses {@link #SPECIES} and no other float shape: a second shape (say 256-bit vectors for a
 * remainder) makes the type profiles of the Vector API's shared {@code FloatVector} methods polymorphic, and C2 then
 * boxes vectors in every kernel of the JVM. With 256-bit vectors in one small kernel, hierarchical-rnn
 * meta-training ran 5.5x slower (docs/benchmarks.md, "Do not mix vector shapes in one JVM"). Stateless and thread-safe.
 */
public final class SimdLoops {
  /** The machine's widest float vectors. */
  public static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
  /** Floats per vector. */
  public static final int LANES = SPECIES.length();

  private SimdLoops() {}

  /** {@code len} rounded up to whole chunks of {@link #LANES}. */
  public static int padded(int len) {
    return (len + LANES - 1) / LANES * LANES;
  }

  /**
   * {@code out[j][i] = bias[j] + sum_k w[j][k] * in[k][i]} for rows {@code j} in {@code [from, to)}, inputs
   * {@code k < w[j].length} and {@code i < padded(len)}: {@link Rows#row} for each row, bit for bit.
   */
  public static void rows(float[][] in, float[][] w, float[] bias, float[][] out, int from, int to, int len) {
    final int n = padded(len);
    int j = from;
    for (; j + 8 <= to; j += 8) {
      rows8(in, w, bias, out, j, n);
    }
    for (; j + 4 <= to; j += 4) {
      rows4(in, w, bias, out, j, n);
    }
    for (; j + 2 <= to; j += 2) {
      rows2(in, w, bias, out, j, j + 1, n);
    }
    if (j < to) { // an odd last row: computed as both rows of a pair (same bits, twice the work for that row)
      rows2(in, w, bias, out, j, j, n);
    }
  }

  private static void rows8(float[][] in, float[][] w, float[] bias, float[][] out, int j, int n) {
    final float[] w0 = w[j];
    final float[] w1 = w[j + 1];
    final float[] w2 = w[j + 2];
    final float[] w3 = w[j + 3];
    final float[] w4 = w[j + 4];
    final float[] w5 = w[j + 5];
    final float[] w6 = w[j + 6];
    final float[] w7 = w[j + 7];
    final int inputs = w0.length;
    if (w1.length != inputs || w2.length != inputs || w3.length != inputs || w4.length != inputs
        || w5.length != inputs || w6.length != inputs || w7.length != inputs) {
      throw new IllegalArgumentException("rows " + j + ".." + (j + 7) + " need the same number of inputs");
    }
    final float b0 = bias[j];
    final float b1 = bias[j + 1];
    final float b2 = bias[j + 2];
    final float b3 = bias[j + 3];
    final float b4 = bias[j + 4];
    final float b5 = bias[j + 5];
    final float b6 = bias[j + 6];
    final float b7 = bias[j + 7];
    for (int i = 0; i < n; i += LANES) {
      FloatVector a0 = FloatVector.broadcast(SPECIES, b0);
      FloatVector a1 = FloatVector.broadcast(SPECIES, b1);
      FloatVector a2 = FloatVector.broadcast(SPECIES, b2);
      FloatVector a3 = FloatVector.broadcast(SPECIES, b3);
      FloatVector a4 = FloatVector.broadcast(SPECIES, b4);
      FloatVector a5 = FloatVector.broadcast(SPECIES, b5);
      FloatVector a6 = FloatVector.broadcast(SPECIES, b6);
      FloatVector a7 = FloatVector.broadcast(SPECIES, b7);
      for (int k = 0; k < inputs; k++) {
        FloatVector x = FloatVector.fromArray(SPECIES, in[k], i);
        a0 = x.fma(FloatVector.broadcast(SPECIES, w0[k]), a0);
        a1 = x.fma(FloatVector.broadcast(SPECIES, w1[k]), a1);
        a2 = x.fma(FloatVector.broadcast(SPECIES, w2[k]), a2);
        a3 = x.fma(FloatVector.broadcast(SPECIES, w3[k]), a3);
        a4 = x.fma(FloatVector.broadcast(SPECIES, w4[k]), a4);
        a5 = x.fma(FloatVector.broadcast(SPECIES, w5[k]), a5);
        a6 = x.fma(FloatVector.broadcast(SPECIES, w6[k]), a6);
        a7 = x.fma(FloatVector.broadcast(SPECIES, w7[k]), a7);
      }
      a0.intoArray(out[j], i);
      a1.intoArray(out[j + 1], i);
      a2.intoArray(out[j + 2], i);
      a3.intoArray(out[j + 3], i);
      a4.intoArray(out[j + 4], i);
      a5.intoArray(out[j + 5], i);
      a6.intoArray(out[j + 6], i);
      a7.intoArray(out[j + 7], i);
    }
  }

  /** Four rows, two chunks at a time where there are two: eight independent chains. */
  private static void rows4(float[][] in, float[][] w, float[] bias, float[][] out, int j, int n) {
    final float[] w0 = w[j];
    final float[] w1 = w[j + 1];
    final float[] w2 = w[j + 2];
    final float[] w3 = w[j + 3];
    final int inputs = w0.length;
    if (w1.length != inputs || w2.length != inputs || w3.length != inputs) {
      throw new IllegalArgumentException("rows " + j + ".." + (j + 3) + " need the same number of inputs");
    }
    int i = 0;
    for (; i + 2 * LANES <= n; i += 2 * LANES) {
      FloatVector a0 = FloatVector.broadcast(SPECIES, bias[j]);
      FloatVector a1 = FloatVector.broadcast(SPECIES, bias[j + 1]);
      FloatVector a2 = FloatVector.broadcast(SPECIES, bias[j + 2]);
      FloatVector a3 = FloatVector.broadcast(SPECIES, bias[j + 3]);
      FloatVector c0 = a0;
      FloatVector c1 = a1;
      FloatVector c2 = a2;
      FloatVector c3 = a3;
      for (int k = 0; k < inputs; k++) {
        FloatVector x = FloatVector.fromArray(SPECIES, in[k], i);
        FloatVector y = FloatVector.fromArray(SPECIES, in[k], i + LANES);
        FloatVector u0 = FloatVector.broadcast(SPECIES, w0[k]);
        FloatVector u1 = FloatVector.broadcast(SPECIES, w1[k]);
        FloatVector u2 = FloatVector.broadcast(SPECIES, w2[k]);
        FloatVector u3 = FloatVector.broadcast(SPECIES, w3[k]);
        a0 = x.fma(u0, a0);
        a1 = x.fma(u1, a1);
        a2 = x.fma(u2, a2);
        a3 = x.fma(u3, a3);
        c0 = y.fma(u0, c0);
        c1 = y.fma(u1, c1);
        c2 = y.fma(u2, c2);
        c3 = y.fma(u3, c3);
      }
      a0.intoArray(out[j], i);
      a1.intoArray(out[j + 1], i);
      a2.intoArray(out[j + 2], i);
      a3.intoArray(out[j + 3], i);
      c0.intoArray(out[j], i + LANES);
      c1.intoArray(out[j + 1], i + LANES);
      c2.intoArray(out[j + 2], i + LANES);
      c3.intoArray(out[j + 3], i + LANES);
    }
    for (; i < n; i += LANES) {
      FloatVector a0 = FloatVector.broadcast(SPECIES, bias[j]);
      FloatVector a1 = FloatVector.broadcast(SPECIES, bias[j + 1]);
      FloatVector a2 = FloatVector.broadcast(SPECIES, bias[j + 2]);
      FloatVector a3 = FloatVector.broadcast(SPECIES, bias[j + 3]);
      for (int k = 0; k < inputs; k++) {
        FloatVector x = FloatVector.fromArray(SPECIES, in[k], i);
        a0 = x.fma(FloatVector.broadcast(SPECIES, w0[k]), a0);
        a1 = x.fma(FloatVector.broadcast(SPECIES, w1[k]), a1);
        a2 = x.fma(FloatVector.broadcast(SPECIES, w2[k]), a2);
        a3 = x.fma(FloatVector.broadcast(SPECIES, w3[k]), a3);
      }
      a0.intoArray(out[j], i);
      a1.intoArray(out[j + 1], i);
      a2.intoArray(out[j + 2], i);
      a3.intoArray(out[j + 3], i);
    }
  }

  /** Rows {@code ja} and {@code jb}, two chunks at a time where there are two: four independent chains. */
  private static void rows2(float[][] in, float[][] w, float[] bias, float[][] out, int ja, int jb, int n) {
    final float[] w0 = w[ja];
    final float[] w1 = w[jb];
    final int inputs = w0.length;
    if (w1.length != inputs) {
      throw new IllegalArgumentException("rows " + ja + " and " + jb + " need the same number of inputs");
    }
    int i = 0;
    for (; i + 2 * LANES <= n; i += 2 * LANES) {
      FloatVector a0 = FloatVector.broadcast(SPECIES, bias[ja]);
      FloatVector a1 = FloatVector.broadcast(SPECIES, bias[jb]);
      FloatVector c0 = a0;
      FloatVector c1 = a1;
      for (int k = 0; k < inputs; k++) {
        FloatVector x = FloatVector.fromArray(SPECIES, in[k], i);
        FloatVector y = FloatVector.fromArray(SPECIES, in[k], i + LANES);
        FloatVector u0 = FloatVector.broadcast(SPECIES, w0[k]);
        FloatVector u1 = FloatVector.broadcast(SPECIES, w1[k]);
        a0 = x.fma(u0, a0);
        a1 = x.fma(u1, a1);
        c0 = y.fma(u0, c0);
        c1 = y.fma(u1, c1);
      }
      a0.intoArray(out[ja], i);
      a1.intoArray(out[jb], i);
      c0.intoArray(out[ja], i + LANES);
      c1.intoArray(out[jb], i + LANES);
    }
    for (; i < n; i += LANES) {
      FloatVector a0 = FloatVector.broadcast(SPECIES, bias[ja]);
      FloatVector a1 = FloatVector.broadcast(SPECIES, bias[jb]);
      for (int k = 0; k < inputs; k++) {
        FloatVector x = FloatVector.fromArray(SPECIES, in[k], i);
        a0 = x.fma(FloatVector.broadcast(SPECIES, w0[k]), a0);
        a1 = x.fma(FloatVector.broadcast(SPECIES, w1[k]), a1);
      }
      a0.intoArray(out[ja], i);
      a1.intoArray(out[jb], i);
    }
  }
}
