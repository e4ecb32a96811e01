package org.metaopt.core.lopt.celo2;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.metaopt.core.kernel.FastMath;
import org.metaopt.core.kernel.SimdLoops;

/**
 * The SIMD form ({@code jdk.incubator.vector}) of {@link Celo2Optimizer}'s pass 3 (features, MLP, direction) for the
 * shipped network shape, hidden {@code [8, 8]}: {@link SimdLoops#LANES} consecutive columns of a row go through the
 * 18 element features, the 8 + 8 hidden units and output 0 in registers, with the same float operations in the
 * same order as the plain loop ({@code Celo2Directions#directionsPlain}), so the same bits ({@code Celo2SimdTest}).
 * Straight-line code (generated): the first layer's weights are loaded
 * from a pre-broadcast array, the others read into float locals once per call and broadcast where used (as vector
 * locals the method passes the 8000-bytecode limit above which HotSpot does not compile it); ReLU is
 * compare-and-blend ({@code s < 0 ? 0 : s}, as the plain loop writes it). Columns from
 * {@code SPECIES.loopBound(cols)} on are left to the plain loop.
 *
 * <p>Its kernels are unrolled on purpose, so this class is exempt from the house limits of 400 lines per file and 80
 * lines per method.
 *
 * <p>Loaded only when {@link org.metaopt.core.kernel.Simd#ENABLED}. Stateless.
 */
final class Celo2Simd {
  static final VectorSpecies<Float> SPECIES = SimdLoops.SPECIES;
  static final int LANES = SimdLoops.LANES;
  /** Hidden layer sizes the kernel is written for. */
  static final int H0 = 8;
  static final int H1 = 8;

  private Celo2Simd() {}

  /**
   * Pass 3 over columns {@code [0, SPECIES.loopBound(cols))} of every row of a {@code rows x cols} matrix at
   * {@code o} in the layout. {@code w0} is the folded first layer ({@code [8, 18]}), each weight repeated
   * {@link #LANES} times; {@code rowPre[i * 8 + u]} and
   * {@code colPre[u * colStride + j]} the folded broadcast features; {@code theta} holds the other layers at
   * {@code w1}, {@code b1}, {@code outW}, {@code outB}. Writes {@code dir[i * cols + j]}.
   */
  static void directions(int o, int rows, int cols, float[] params, float[] gbuf, float[] rbuf, float[] m0,
      float[] m1, float[] m2, float[] v, float[] rf0, float[] rf1, float[] rf2, float[] cf0, float[] cf1, float[] cf2,
      float[] w0, float[] rowPre, float[] colPre, int colStride, float[] theta, int w1, int b1, int outW, int outB,
      float[] dir) {
    final int bound = SPECIES.loopBound(cols);
    final FloatVector zero = FloatVector.zero(SPECIES);
    final FloatVector fc = FloatVector.broadcast(SPECIES, Celo2.FEATURE_CLIP);
    final FloatVector nfc = FloatVector.broadcast(SPECIES, -Celo2.FEATURE_CLIP);
    if (w0.length < 8 * 18 * LANES) {
      throw new IllegalArgumentException("w0 needs 8 x 18 broadcast weights");
    }
    final float b1_0 = theta[b1 + 0];
    final float v0_0 = theta[w1 + 0];
    final float v0_1 = theta[w1 + 1];
    final float v0_2 = theta[w1 + 2];
    final float v0_3 = theta[w1 + 3];
    final float v0_4 = theta[w1 + 4];
    final float v0_5 = theta[w1 + 5];
    final float v0_6 = theta[w1 + 6];
    final float v0_7 = theta[w1 + 7];
    final float b1_1 = theta[b1 + 1];
    final float v1_0 = theta[w1 + 8];
    final float v1_1 = theta[w1 + 9];
    final float v1_2 = theta[w1 + 10];
    final float v1_3 = theta[w1 + 11];
    final float v1_4 = theta[w1 + 12];
    final float v1_5 = theta[w1 + 13];
    final float v1_6 = theta[w1 + 14];
    final float v1_7 = theta[w1 + 15];
    final float b1_2 = theta[b1 + 2];
    final float v2_0 = theta[w1 + 16];
    final float v2_1 = theta[w1 + 17];
    final float v2_2 = theta[w1 + 18];
    final float v2_3 = theta[w1 + 19];
    final float v2_4 = theta[w1 + 20];
    final float v2_5 = theta[w1 + 21];
    final float v2_6 = theta[w1 + 22];
    final float v2_7 = theta[w1 + 23];
    final float b1_3 = theta[b1 + 3];
    final float v3_0 = theta[w1 + 24];
    final float v3_1 = theta[w1 + 25];
    final float v3_2 = theta[w1 + 26];
    final float v3_3 = theta[w1 + 27];
    final float v3_4 = theta[w1 + 28];
    final float v3_5 = theta[w1 + 29];
    final float v3_6 = theta[w1 + 30];
    final float v3_7 = theta[w1 + 31];
    final float b1_4 = theta[b1 + 4];
    final float v4_0 = theta[w1 + 32];
    final float v4_1 = theta[w1 + 33];
    final float v4_2 = theta[w1 + 34];
    final float v4_3 = theta[w1 + 35];
    final float v4_4 = theta[w1 + 36];
    final float v4_5 = theta[w1 + 37];
    final float v4_6 = theta[w1 + 38];
    final float v4_7 = theta[w1 + 39];
    final float b1_5 = theta[b1 + 5];
    final float v5_0 = theta[w1 + 40];
    final float v5_1 = theta[w1 + 41];
    final float v5_2 = theta[w1 + 42];
    final float v5_3 = theta[w1 + 43];
    final float v5_4 = theta[w1 + 44];
    final float v5_5 = theta[w1 + 45];
    final float v5_6 = theta[w1 + 46];
    final float v5_7 = theta[w1 + 47];
    final float b1_6 = theta[b1 + 6];
    final float v6_0 = theta[w1 + 48];
    final float v6_1 = theta[w1 + 49];
    final float v6_2 = theta[w1 + 50];
    final float v6_3 = theta[w1 + 51];
    final float v6_4 = theta[w1 + 52];
    final float v6_5 = theta[w1 + 53];
    final float v6_6 = theta[w1 + 54];
    final float v6_7 = theta[w1 + 55];
    final float b1_7 = theta[b1 + 7];
    final float v7_0 = theta[w1 + 56];
    final float v7_1 = theta[w1 + 57];
    final float v7_2 = theta[w1 + 58];
    final float v7_3 = theta[w1 + 59];
    final float v7_4 = theta[w1 + 60];
    final float v7_5 = theta[w1 + 61];
    final float v7_6 = theta[w1 + 62];
    final float v7_7 = theta[w1 + 63];
    final float ob = theta[outB];
    final float o0 = theta[outW + 0];
    final float o1 = theta[outW + 1];
    final float o2 = theta[outW + 2];
    final float o3 = theta[outW + 3];
    final float o4 = theta[outW + 4];
    final float o5 = theta[outW + 5];
    final float o6 = theta[outW + 6];
    final float o7 = theta[outW + 7];
    for (int i = 0; i < rows; i++) {
      final int e0 = i * cols;
      final int idx0 = o + e0;
      final float r0 = rf0[i];
      final float r1 = rf1[i];
      final float r2 = rf2[i];
      final float rp0 = rowPre[i * 8 + 0];
      final float rp1 = rowPre[i * 8 + 1];
      final float rp2 = rowPre[i * 8 + 2];
      final float rp3 = rowPre[i * 8 + 3];
      final float rp4 = rowPre[i * 8 + 4];
      final float rp5 = rowPre[i * 8 + 5];
      final float rp6 = rowPre[i * 8 + 6];
      final float rp7 = rowPre[i * 8 + 7];
      for (int j = 0; j < bound; j += LANES) {
        final int e = e0 + j;
        final int idx = idx0 + j;
        FloatVector s0 = FloatVector.broadcast(SPECIES, rp0).add(FloatVector.fromArray(SPECIES, colPre, 0 * colStride + j));
        FloatVector s1 = FloatVector.broadcast(SPECIES, rp1).add(FloatVector.fromArray(SPECIES, colPre, 1 * colStride + j));
        FloatVector s2 = FloatVector.broadcast(SPECIES, rp2).add(FloatVector.fromArray(SPECIES, colPre, 2 * colStride + j));
        FloatVector s3 = FloatVector.broadcast(SPECIES, rp3).add(FloatVector.fromArray(SPECIES, colPre, 3 * colStride + j));
        FloatVector s4 = FloatVector.broadcast(SPECIES, rp4).add(FloatVector.fromArray(SPECIES, colPre, 4 * colStride + j));
        FloatVector s5 = FloatVector.broadcast(SPECIES, rp5).add(FloatVector.fromArray(SPECIES, colPre, 5 * colStride + j));
        FloatVector s6 = FloatVector.broadcast(SPECIES, rp6).add(FloatVector.fromArray(SPECIES, colPre, 6 * colStride + j));
        FloatVector s7 = FloatVector.broadcast(SPECIES, rp7).add(FloatVector.fromArray(SPECIES, colPre, 7 * colStride + j));
        final FloatVector g = FloatVector.fromArray(SPECIES, gbuf, e);
        final FloatVector ri = FloatVector.fromArray(SPECIES, rbuf, e);
        final FloatVector a0 = FloatVector.fromArray(SPECIES, m0, idx);
        final FloatVector a1 = FloatVector.fromArray(SPECIES, m1, idx);
        final FloatVector a2 = FloatVector.fromArray(SPECIES, m2, idx);
        final FloatVector f0 = FloatVector.broadcast(SPECIES, r0).mul(FloatVector.fromArray(SPECIES, cf0, j));
        final FloatVector f1 = FloatVector.broadcast(SPECIES, r1).mul(FloatVector.fromArray(SPECIES, cf1, j));
        final FloatVector f2 = FloatVector.broadcast(SPECIES, r2).mul(FloatVector.fromArray(SPECIES, cf2, j));
        final FloatVector x0 = g;
        s0 = s0.add(x0.mul(FloatVector.fromArray(SPECIES, w0, 0 * LANES)));
        s1 = s1.add(x0.mul(FloatVector.fromArray(SPECIES, w0, 18 * LANES)));
        s2 = s2.add(x0.mul(FloatVector.fromArray(SPECIES, w0, 36 * LANES)));
        s3 = s3.add(x0.mul(FloatVector.fromArray(SPECIES, w0, 54 * LANES)));
        s4 = s4.add(x0.mul(FloatVector.fromArray(SPECIES, w0, 72 * LANES)));
        s5 = s5.add(x0.mul(FloatVector.fromArray(SPECIES, w0, 90 * LANES)));
        s6 = s6.add(x0.mul(FloatVector.fromArray(SPECIES, w0, 108 * LANES)));
        s7 = s7.add(x0.mul(FloatVector.fromArray(SPECIES, w0, 126 * LANES)));
        final FloatVector x1 = g.lanewise(VectorOperators.MIN, fc).lanewise(VectorOperators.MAX, nfc);
        s0 = s0.add(x1.mul(FloatVector.fromArray(SPECIES, w0, 1 * LANES)));
        s1 = s1.add(x1.mul(FloatVector.fromArray(SPECIES, w0, 19 * LANES)));
        s2 = s2.add(x1.mul(FloatVector.fromArray(SPECIES, w0, 37 * LANES)));
        s3 = s3.add(x1.mul(FloatVector.fromArray(SPECIES, w0, 55 * LANES)));
        s4 = s4.add(x1.mul(FloatVector.fromArray(SPECIES, w0, 73 * LANES)));
        s5 = s5.add(x1.mul(FloatVector.fromArray(SPECIES, w0, 91 * LANES)));
        s6 = s6.add(x1.mul(FloatVector.fromArray(SPECIES, w0, 109 * LANES)));
        s7 = s7.add(x1.mul(FloatVector.fromArray(SPECIES, w0, 127 * LANES)));
        final FloatVector x2 = FloatVector.fromArray(SPECIES, params, idx);
        s0 = s0.add(x2.mul(FloatVector.fromArray(SPECIES, w0, 2 * LANES)));
        s1 = s1.add(x2.mul(FloatVector.fromArray(SPECIES, w0, 20 * LANES)));
        s2 = s2.add(x2.mul(FloatVector.fromArray(SPECIES, w0, 38 * LANES)));
        s3 = s3.add(x2.mul(FloatVector.fromArray(SPECIES, w0, 56 * LANES)));
        s4 = s4.add(x2.mul(FloatVector.fromArray(SPECIES, w0, 74 * LANES)));
        s5 = s5.add(x2.mul(FloatVector.fromArray(SPECIES, w0, 92 * LANES)));
        s6 = s6.add(x2.mul(FloatVector.fromArray(SPECIES, w0, 110 * LANES)));
        s7 = s7.add(x2.mul(FloatVector.fromArray(SPECIES, w0, 128 * LANES)));
        final FloatVector x3 = a0;
        s0 = s0.add(x3.mul(FloatVector.fromArray(SPECIES, w0, 3 * LANES)));
        s1 = s1.add(x3.mul(FloatVector.fromArray(SPECIES, w0, 21 * LANES)));
        s2 = s2.add(x3.mul(FloatVector.fromArray(SPECIES, w0, 39 * LANES)));
        s3 = s3.add(x3.mul(FloatVector.fromArray(SPECIES, w0, 57 * LANES)));
        s4 = s4.add(x3.mul(FloatVector.fromArray(SPECIES, w0, 75 * LANES)));
        s5 = s5.add(x3.mul(FloatVector.fromArray(SPECIES, w0, 93 * LANES)));
        s6 = s6.add(x3.mul(FloatVector.fromArray(SPECIES, w0, 111 * LANES)));
        s7 = s7.add(x3.mul(FloatVector.fromArray(SPECIES, w0, 129 * LANES)));
        final FloatVector x4 = a1;
        s0 = s0.add(x4.mul(FloatVector.fromArray(SPECIES, w0, 4 * LANES)));
        s1 = s1.add(x4.mul(FloatVector.fromArray(SPECIES, w0, 22 * LANES)));
        s2 = s2.add(x4.mul(FloatVector.fromArray(SPECIES, w0, 40 * LANES)));
        s3 = s3.add(x4.mul(FloatVector.fromArray(SPECIES, w0, 58 * LANES)));
        s4 = s4.add(x4.mul(FloatVector.fromArray(SPECIES, w0, 76 * LANES)));
        s5 = s5.add(x4.mul(FloatVector.fromArray(SPECIES, w0, 94 * LANES)));
        s6 = s6.add(x4.mul(FloatVector.fromArray(SPECIES, w0, 112 * LANES)));
        s7 = s7.add(x4.mul(FloatVector.fromArray(SPECIES, w0, 130 * LANES)));
        final FloatVector x5 = a2;
        s0 = s0.add(x5.mul(FloatVector.fromArray(SPECIES, w0, 5 * LANES)));
        s1 = s1.add(x5.mul(FloatVector.fromArray(SPECIES, w0, 23 * LANES)));
        s2 = s2.add(x5.mul(FloatVector.fromArray(SPECIES, w0, 41 * LANES)));
        s3 = s3.add(x5.mul(FloatVector.fromArray(SPECIES, w0, 59 * LANES)));
        s4 = s4.add(x5.mul(FloatVector.fromArray(SPECIES, w0, 77 * LANES)));
        s5 = s5.add(x5.mul(FloatVector.fromArray(SPECIES, w0, 95 * LANES)));
        s6 = s6.add(x5.mul(FloatVector.fromArray(SPECIES, w0, 113 * LANES)));
        s7 = s7.add(x5.mul(FloatVector.fromArray(SPECIES, w0, 131 * LANES)));
        final FloatVector x6 = FloatVector.fromArray(SPECIES, v, idx);
        s0 = s0.add(x6.mul(FloatVector.fromArray(SPECIES, w0, 6 * LANES)));
        s1 = s1.add(x6.mul(FloatVector.fromArray(SPECIES, w0, 24 * LANES)));
        s2 = s2.add(x6.mul(FloatVector.fromArray(SPECIES, w0, 42 * LANES)));
        s3 = s3.add(x6.mul(FloatVector.fromArray(SPECIES, w0, 60 * LANES)));
        s4 = s4.add(x6.mul(FloatVector.fromArray(SPECIES, w0, 78 * LANES)));
        s5 = s5.add(x6.mul(FloatVector.fromArray(SPECIES, w0, 96 * LANES)));
        s6 = s6.add(x6.mul(FloatVector.fromArray(SPECIES, w0, 114 * LANES)));
        s7 = s7.add(x6.mul(FloatVector.fromArray(SPECIES, w0, 132 * LANES)));
        final FloatVector x7 = a0.mul(ri);
        s0 = s0.add(x7.mul(FloatVector.fromArray(SPECIES, w0, 7 * LANES)));
        s1 = s1.add(x7.mul(FloatVector.fromArray(SPECIES, w0, 25 * LANES)));
        s2 = s2.add(x7.mul(FloatVector.fromArray(SPECIES, w0, 43 * LANES)));
        s3 = s3.add(x7.mul(FloatVector.fromArray(SPECIES, w0, 61 * LANES)));
        s4 = s4.add(x7.mul(FloatVector.fromArray(SPECIES, w0, 79 * LANES)));
        s5 = s5.add(x7.mul(FloatVector.fromArray(SPECIES, w0, 97 * LANES)));
        s6 = s6.add(x7.mul(FloatVector.fromArray(SPECIES, w0, 115 * LANES)));
        s7 = s7.add(x7.mul(FloatVector.fromArray(SPECIES, w0, 133 * LANES)));
        final FloatVector x8 = a1.mul(ri);
        s0 = s0.add(x8.mul(FloatVector.fromArray(SPECIES, w0, 8 * LANES)));
        s1 = s1.add(x8.mul(FloatVector.fromArray(SPECIES, w0, 26 * LANES)));
        s2 = s2.add(x8.mul(FloatVector.fromArray(SPECIES, w0, 44 * LANES)));
        s3 = s3.add(x8.mul(FloatVector.fromArray(SPECIES, w0, 62 * LANES)));
        s4 = s4.add(x8.mul(FloatVector.fromArray(SPECIES, w0, 80 * LANES)));
        s5 = s5.add(x8.mul(FloatVector.fromArray(SPECIES, w0, 98 * LANES)));
        s6 = s6.add(x8.mul(FloatVector.fromArray(SPECIES, w0, 116 * LANES)));
        s7 = s7.add(x8.mul(FloatVector.fromArray(SPECIES, w0, 134 * LANES)));
        final FloatVector x9 = a2.mul(ri);
        s0 = s0.add(x9.mul(FloatVector.fromArray(SPECIES, w0, 9 * LANES)));
        s1 = s1.add(x9.mul(FloatVector.fromArray(SPECIES, w0, 27 * LANES)));
        s2 = s2.add(x9.mul(FloatVector.fromArray(SPECIES, w0, 45 * LANES)));
        s3 = s3.add(x9.mul(FloatVector.fromArray(SPECIES, w0, 63 * LANES)));
        s4 = s4.add(x9.mul(FloatVector.fromArray(SPECIES, w0, 81 * LANES)));
        s5 = s5.add(x9.mul(FloatVector.fromArray(SPECIES, w0, 99 * LANES)));
        s6 = s6.add(x9.mul(FloatVector.fromArray(SPECIES, w0, 117 * LANES)));
        s7 = s7.add(x9.mul(FloatVector.fromArray(SPECIES, w0, 135 * LANES)));
        final FloatVector x10 = ri;
        s0 = s0.add(x10.mul(FloatVector.fromArray(SPECIES, w0, 10 * LANES)));
        s1 = s1.add(x10.mul(FloatVector.fromArray(SPECIES, w0, 28 * LANES)));
        s2 = s2.add(x10.mul(FloatVector.fromArray(SPECIES, w0, 46 * LANES)));
        s3 = s3.add(x10.mul(FloatVector.fromArray(SPECIES, w0, 64 * LANES)));
        s4 = s4.add(x10.mul(FloatVector.fromArray(SPECIES, w0, 82 * LANES)));
        s5 = s5.add(x10.mul(FloatVector.fromArray(SPECIES, w0, 100 * LANES)));
        s6 = s6.add(x10.mul(FloatVector.fromArray(SPECIES, w0, 118 * LANES)));
        s7 = s7.add(x10.mul(FloatVector.fromArray(SPECIES, w0, 136 * LANES)));
        final FloatVector x11 = g.mul(f0);
        s0 = s0.add(x11.mul(FloatVector.fromArray(SPECIES, w0, 11 * LANES)));
        s1 = s1.add(x11.mul(FloatVector.fromArray(SPECIES, w0, 29 * LANES)));
        s2 = s2.add(x11.mul(FloatVector.fromArray(SPECIES, w0, 47 * LANES)));
        s3 = s3.add(x11.mul(FloatVector.fromArray(SPECIES, w0, 65 * LANES)));
        s4 = s4.add(x11.mul(FloatVector.fromArray(SPECIES, w0, 83 * LANES)));
        s5 = s5.add(x11.mul(FloatVector.fromArray(SPECIES, w0, 101 * LANES)));
        s6 = s6.add(x11.mul(FloatVector.fromArray(SPECIES, w0, 119 * LANES)));
        s7 = s7.add(x11.mul(FloatVector.fromArray(SPECIES, w0, 137 * LANES)));
        final FloatVector x12 = g.mul(f1);
        s0 = s0.add(x12.mul(FloatVector.fromArray(SPECIES, w0, 12 * LANES)));
        s1 = s1.add(x12.mul(FloatVector.fromArray(SPECIES, w0, 30 * LANES)));
        s2 = s2.add(x12.mul(FloatVector.fromArray(SPECIES, w0, 48 * LANES)));
        s3 = s3.add(x12.mul(FloatVector.fromArray(SPECIES, w0, 66 * LANES)));
        s4 = s4.add(x12.mul(FloatVector.fromArray(SPECIES, w0, 84 * LANES)));
        s5 = s5.add(x12.mul(FloatVector.fromArray(SPECIES, w0, 102 * LANES)));
        s6 = s6.add(x12.mul(FloatVector.fromArray(SPECIES, w0, 120 * LANES)));
        s7 = s7.add(x12.mul(FloatVector.fromArray(SPECIES, w0, 138 * LANES)));
        final FloatVector x13 = g.mul(f2);
        s0 = s0.add(x13.mul(FloatVector.fromArray(SPECIES, w0, 13 * LANES)));
        s1 = s1.add(x13.mul(FloatVector.fromArray(SPECIES, w0, 31 * LANES)));
        s2 = s2.add(x13.mul(FloatVector.fromArray(SPECIES, w0, 49 * LANES)));
        s3 = s3.add(x13.mul(FloatVector.fromArray(SPECIES, w0, 67 * LANES)));
        s4 = s4.add(x13.mul(FloatVector.fromArray(SPECIES, w0, 85 * LANES)));
        s5 = s5.add(x13.mul(FloatVector.fromArray(SPECIES, w0, 103 * LANES)));
        s6 = s6.add(x13.mul(FloatVector.fromArray(SPECIES, w0, 121 * LANES)));
        s7 = s7.add(x13.mul(FloatVector.fromArray(SPECIES, w0, 139 * LANES)));
        final FloatVector x14 = g.mul(ri);
        s0 = s0.add(x14.mul(FloatVector.fromArray(SPECIES, w0, 14 * LANES)));
        s1 = s1.add(x14.mul(FloatVector.fromArray(SPECIES, w0, 32 * LANES)));
        s2 = s2.add(x14.mul(FloatVector.fromArray(SPECIES, w0, 50 * LANES)));
        s3 = s3.add(x14.mul(FloatVector.fromArray(SPECIES, w0, 68 * LANES)));
        s4 = s4.add(x14.mul(FloatVector.fromArray(SPECIES, w0, 86 * LANES)));
        s5 = s5.add(x14.mul(FloatVector.fromArray(SPECIES, w0, 104 * LANES)));
        s6 = s6.add(x14.mul(FloatVector.fromArray(SPECIES, w0, 122 * LANES)));
        s7 = s7.add(x14.mul(FloatVector.fromArray(SPECIES, w0, 140 * LANES)));
        final FloatVector x15 = a0.mul(f0);
        s0 = s0.add(x15.mul(FloatVector.fromArray(SPECIES, w0, 15 * LANES)));
        s1 = s1.add(x15.mul(FloatVector.fromArray(SPECIES, w0, 33 * LANES)));
        s2 = s2.add(x15.mul(FloatVector.fromArray(SPECIES, w0, 51 * LANES)));
        s3 = s3.add(x15.mul(FloatVector.fromArray(SPECIES, w0, 69 * LANES)));
        s4 = s4.add(x15.mul(FloatVector.fromArray(SPECIES, w0, 87 * LANES)));
        s5 = s5.add(x15.mul(FloatVector.fromArray(SPECIES, w0, 105 * LANES)));
        s6 = s6.add(x15.mul(FloatVector.fromArray(SPECIES, w0, 123 * LANES)));
        s7 = s7.add(x15.mul(FloatVector.fromArray(SPECIES, w0, 141 * LANES)));
        final FloatVector x16 = a1.mul(f1);
        s0 = s0.add(x16.mul(FloatVector.fromArray(SPECIES, w0, 16 * LANES)));
        s1 = s1.add(x16.mul(FloatVector.fromArray(SPECIES, w0, 34 * LANES)));
        s2 = s2.add(x16.mul(FloatVector.fromArray(SPECIES, w0, 52 * LANES)));
        s3 = s3.add(x16.mul(FloatVector.fromArray(SPECIES, w0, 70 * LANES)));
        s4 = s4.add(x16.mul(FloatVector.fromArray(SPECIES, w0, 88 * LANES)));
        s5 = s5.add(x16.mul(FloatVector.fromArray(SPECIES, w0, 106 * LANES)));
        s6 = s6.add(x16.mul(FloatVector.fromArray(SPECIES, w0, 124 * LANES)));
        s7 = s7.add(x16.mul(FloatVector.fromArray(SPECIES, w0, 142 * LANES)));
        final FloatVector x17 = a2.mul(f2);
        s0 = s0.add(x17.mul(FloatVector.fromArray(SPECIES, w0, 17 * LANES)));
        s1 = s1.add(x17.mul(FloatVector.fromArray(SPECIES, w0, 35 * LANES)));
        s2 = s2.add(x17.mul(FloatVector.fromArray(SPECIES, w0, 53 * LANES)));
        s3 = s3.add(x17.mul(FloatVector.fromArray(SPECIES, w0, 71 * LANES)));
        s4 = s4.add(x17.mul(FloatVector.fromArray(SPECIES, w0, 89 * LANES)));
        s5 = s5.add(x17.mul(FloatVector.fromArray(SPECIES, w0, 107 * LANES)));
        s6 = s6.add(x17.mul(FloatVector.fromArray(SPECIES, w0, 125 * LANES)));
        s7 = s7.add(x17.mul(FloatVector.fromArray(SPECIES, w0, 143 * LANES)));
        s0 = s0.blend(zero, s0.lt(zero));
        s1 = s1.blend(zero, s1.lt(zero));
        s2 = s2.blend(zero, s2.lt(zero));
        s3 = s3.blend(zero, s3.lt(zero));
        s4 = s4.blend(zero, s4.lt(zero));
        s5 = s5.blend(zero, s5.lt(zero));
        s6 = s6.blend(zero, s6.lt(zero));
        s7 = s7.blend(zero, s7.lt(zero));
        FloatVector t0 = FloatVector.broadcast(SPECIES, b1_0);
        t0 = t0.add(s0.mul(v0_0));
        t0 = t0.add(s1.mul(v0_1));
        t0 = t0.add(s2.mul(v0_2));
        t0 = t0.add(s3.mul(v0_3));
        t0 = t0.add(s4.mul(v0_4));
        t0 = t0.add(s5.mul(v0_5));
        t0 = t0.add(s6.mul(v0_6));
        t0 = t0.add(s7.mul(v0_7));
        t0 = t0.blend(zero, t0.lt(zero));
        FloatVector t1 = FloatVector.broadcast(SPECIES, b1_1);
        t1 = t1.add(s0.mul(v1_0));
        t1 = t1.add(s1.mul(v1_1));
        t1 = t1.add(s2.mul(v1_2));
        t1 = t1.add(s3.mul(v1_3));
        t1 = t1.add(s4.mul(v1_4));
        t1 = t1.add(s5.mul(v1_5));
        t1 = t1.add(s6.mul(v1_6));
        t1 = t1.add(s7.mul(v1_7));
        t1 = t1.blend(zero, t1.lt(zero));
        FloatVector t2 = FloatVector.broadcast(SPECIES, b1_2);
        t2 = t2.add(s0.mul(v2_0));
        t2 = t2.add(s1.mul(v2_1));
        t2 = t2.add(s2.mul(v2_2));
        t2 = t2.add(s3.mul(v2_3));
        t2 = t2.add(s4.mul(v2_4));
        t2 = t2.add(s5.mul(v2_5));
        t2 = t2.add(s6.mul(v2_6));
        t2 = t2.add(s7.mul(v2_7));
        t2 = t2.blend(zero, t2.lt(zero));
        FloatVector t3 = FloatVector.broadcast(SPECIES, b1_3);
        t3 = t3.add(s0.mul(v3_0));
        t3 = t3.add(s1.mul(v3_1));
        t3 = t3.add(s2.mul(v3_2));
        t3 = t3.add(s3.mul(v3_3));
        t3 = t3.add(s4.mul(v3_4));
        t3 = t3.add(s5.mul(v3_5));
        t3 = t3.add(s6.mul(v3_6));
        t3 = t3.add(s7.mul(v3_7));
        t3 = t3.blend(zero, t3.lt(zero));
        FloatVector t4 = FloatVector.broadcast(SPECIES, b1_4);
        t4 = t4.add(s0.mul(v4_0));
        t4 = t4.add(s1.mul(v4_1));
        t4 = t4.add(s2.mul(v4_2));
        t4 = t4.add(s3.mul(v4_3));
        t4 = t4.add(s4.mul(v4_4));
        t4 = t4.add(s5.mul(v4_5));
        t4 = t4.add(s6.mul(v4_6));
        t4 = t4.add(s7.mul(v4_7));
        t4 = t4.blend(zero, t4.lt(zero));
        FloatVector t5 = FloatVector.broadcast(SPECIES, b1_5);
        t5 = t5.add(s0.mul(v5_0));
        t5 = t5.add(s1.mul(v5_1));
        t5 = t5.add(s2.mul(v5_2));
        t5 = t5.add(s3.mul(v5_3));
        t5 = t5.add(s4.mul(v5_4));
        t5 = t5.add(s5.mul(v5_5));
        t5 = t5.add(s6.mul(v5_6));
        t5 = t5.add(s7.mul(v5_7));
        t5 = t5.blend(zero, t5.lt(zero));
        FloatVector t6 = FloatVector.broadcast(SPECIES, b1_6);
        t6 = t6.add(s0.mul(v6_0));
        t6 = t6.add(s1.mul(v6_1));
        t6 = t6.add(s2.mul(v6_2));
        t6 = t6.add(s3.mul(v6_3));
        t6 = t6.add(s4.mul(v6_4));
        t6 = t6.add(s5.mul(v6_5));
        t6 = t6.add(s6.mul(v6_6));
        t6 = t6.add(s7.mul(v6_7));
        t6 = t6.blend(zero, t6.lt(zero));
        FloatVector t7 = FloatVector.broadcast(SPECIES, b1_7);
        t7 = t7.add(s0.mul(v7_0));
        t7 = t7.add(s1.mul(v7_1));
        t7 = t7.add(s2.mul(v7_2));
        t7 = t7.add(s3.mul(v7_3));
        t7 = t7.add(s4.mul(v7_4));
        t7 = t7.add(s5.mul(v7_5));
        t7 = t7.add(s6.mul(v7_6));
        t7 = t7.add(s7.mul(v7_7));
        t7 = t7.blend(zero, t7.lt(zero));
        FloatVector out = FloatVector.broadcast(SPECIES, ob);
        out = out.add(t0.mul(o0));
        out = out.add(t1.mul(o1));
        out = out.add(t2.mul(o2));
        out = out.add(t3.mul(o3));
        out = out.add(t4.mul(o4));
        out = out.add(t5.mul(o5));
        out = out.add(t6.mul(o6));
        out = out.add(t7.mul(o7));
        out.intoArray(dir, e);
      }
    }
  }

  /**
   * Accumulated sums per column in {@link Celo2Statistics#run}: {@code g² + 1e-30} first, then the 12 sums of
   * squares.
   */
  static final int ACCS = 13;

  /**
   * Pass 1 over columns {@code [0, SPECIES.loopBound(cols))} of row {@code i} (the plain loop's float operations in
   * the same order): cleaned gradient into {@code gbuf}, momenta, second moment, {@code r} into {@code rbuf}, and
   * each column's float sums {@code acc[a * stride + j] += x_a}.
   */
  static void statsRow(int o, int i, int cols, float[] params, float[] grad, float[] gbuf, float[] rbuf,
      float[] m0, float[] m1, float[] m2, float[] v, float[] acc, int stride) {
    final int bound = SPECIES.loopBound(cols);
    final float d0 = Celo2.MOMENTUM_DECAYS[0];
    final float d1 = Celo2.MOMENTUM_DECAYS[1];
    final float d2 = Celo2.MOMENTUM_DECAYS[2];
    final float b2 = Celo2.RMS_DECAY;
    final float fl = FastMath.FLUSH;
    final FloatVector zero = FloatVector.zero(SPECIES);
    final FloatVector one = FloatVector.broadcast(SPECIES, 1f);
    final int e0 = i * cols;
    for (int j = 0; j < bound; j += LANES) {
      final int e = e0 + j;
      final int idx = o + e;
      FloatVector g = FloatVector.fromArray(SPECIES, grad, idx);
      g = g.lanewise(VectorOperators.MIN, Celo2.CLIP).lanewise(VectorOperators.MAX, -Celo2.CLIP)
          .blend(zero, g.abs().lt(Float.POSITIVE_INFINITY).not());
      g.intoArray(gbuf, e);
      final FloatVector gg = g.mul(g);
      final FloatVector a0 = FloatVector.fromArray(SPECIES, m0, idx).mul(d0).add(g.mul(1 - d0)).add(fl).sub(fl);
      final FloatVector a1 = FloatVector.fromArray(SPECIES, m1, idx).mul(d1).add(g.mul(1 - d1)).add(fl).sub(fl);
      final FloatVector a2 = FloatVector.fromArray(SPECIES, m2, idx).mul(d2).add(g.mul(1 - d2)).add(fl).sub(fl);
      final FloatVector vi = FloatVector.fromArray(SPECIES, v, idx).mul(b2).add(gg.mul(1 - b2)).add(fl).sub(fl);
      a0.intoArray(m0, idx);
      a1.intoArray(m1, idx);
      a2.intoArray(m2, idx);
      vi.intoArray(v, idx);
      final FloatVector ri = one.div(vi.add(1e-8f).lanewise(VectorOperators.SQRT));
      ri.intoArray(rbuf, e);
      final FloatVector cl = g.lanewise(VectorOperators.MIN, Celo2.FEATURE_CLIP)
          .lanewise(VectorOperators.MAX, -Celo2.FEATURE_CLIP);
      final FloatVector p = FloatVector.fromArray(SPECIES, params, idx);
      final FloatVector mr0 = a0.mul(ri);
      final FloatVector mr1 = a1.mul(ri);
      final FloatVector mr2 = a2.mul(ri);
      final FloatVector gr = g.mul(ri);
      FloatVector.fromArray(SPECIES, acc, j).add(gg.add(1e-30f)).intoArray(acc, j);
      FloatVector.fromArray(SPECIES, acc, stride + j).add(gg).intoArray(acc, stride + j);
      FloatVector.fromArray(SPECIES, acc, 2 * stride + j).add(cl.mul(cl)).intoArray(acc, 2 * stride + j);
      FloatVector.fromArray(SPECIES, acc, 3 * stride + j).add(p.mul(p)).intoArray(acc, 3 * stride + j);
      FloatVector.fromArray(SPECIES, acc, 4 * stride + j).add(a0.mul(a0)).intoArray(acc, 4 * stride + j);
      FloatVector.fromArray(SPECIES, acc, 5 * stride + j).add(a1.mul(a1)).intoArray(acc, 5 * stride + j);
      FloatVector.fromArray(SPECIES, acc, 6 * stride + j).add(a2.mul(a2)).intoArray(acc, 6 * stride + j);
      FloatVector.fromArray(SPECIES, acc, 7 * stride + j).add(vi.mul(vi)).intoArray(acc, 7 * stride + j);
      FloatVector.fromArray(SPECIES, acc, 8 * stride + j).add(mr0.mul(mr0)).intoArray(acc, 8 * stride + j);
      FloatVector.fromArray(SPECIES, acc, 9 * stride + j).add(mr1.mul(mr1)).intoArray(acc, 9 * stride + j);
      FloatVector.fromArray(SPECIES, acc, 10 * stride + j).add(mr2.mul(mr2)).intoArray(acc, 10 * stride + j);
      FloatVector.fromArray(SPECIES, acc, 11 * stride + j).add(ri.mul(ri)).intoArray(acc, 11 * stride + j);
      FloatVector.fromArray(SPECIES, acc, 12 * stride + j).add(gr.mul(gr)).intoArray(acc, 12 * stride + j);
    }
  }
}
