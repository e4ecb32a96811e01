package org.metaopt.core.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The register-blocked tiles of {@link SimdGemm} on the Vector API: {@code C += A B} for a tile of C of up to 6
 * rows by up to 4 vectors, with {@code A(i, p) = a[a0 + i*aRs + p*aCs]} (any two strides, so a row-major matrix
 * and its transpose are both read in place) and B (a packed panel) and C row-major. Narrower panels use
 * {@link GemmSimdNarrow}'s tiles.
 *
 * <p>The main tile, 6 rows by 4 vectors (6 x 64 floats on AVX-512), keeps 24 accumulators in registers through the
 * whole {@code k} loop; per {@code p} it loads four vectors of B, broadcasts 6 scalars of A and issues 24 fused
 * multiply-adds. Measured against 8 x 2, 8 x 3, 4 x 4 and 12 x 2 tiles in one run on the products of the three
 * benchmark networks (docs/benchmarks.md, issue 22): 179-205 GFLOP/s against 145-181 for 8 x 2, the next best
 * 8 x 3 at 169-197; one core peaks at ~217 (an FMA loop with no loads). Every entry of C becomes {@code c + s}
 * where {@code s} is the sum over {@code p} in increasing order, each term added by one fused multiply-add starting
 * from 0: the same bits whichever tile computes it, and whatever the vector width. Vectors are never passed to a
 * method (a call C2 does not inline boxes them: the first version, with a helper for the final adds, was ~6x
 * slower), so each tile ends with its own loads, adds and stores.
 *
 * <p>Only {@link SimdLoops#SPECIES} is used (see {@link SimdLoops} on mixing shapes), and only loads, stores,
 * broadcasts, adds and fused multiply-adds: no masks or blends, which have cost other kernels their intrinsics
 * (docs/benchmarks.md, "Session 9"). Each tile is a method of its own, above C2's inlining size for hot methods, so
 * it is compiled alone. Loaded only when {@link Simd#ENABLED}. Stateless and thread-safe.
 */
final class GemmSimd {
  static final VectorSpecies<Float> SPECIES = SimdLoops.SPECIES;
  static final int LANES = SPECIES.length();
  /** Rows of the main tile. */
  static final int ROWS = 6;
  /** Vectors across the main tile. */
  static final int VECTORS = 4;

  private GemmSimd() {}

  /**
   * {@code C[mr x w] += A[mr x k] B[k x w]} for {@code w = vectors * LANES}, {@code vectors} in {1, 2, 4} and
   * {@code mr} in {6, 4, 1} for 4 vectors, {8, 4, 1} otherwise: {@code B(p, j) = b[b0 + p*ldb + j]},
   * {@code C(i, j) = c[c0 + i*ldc + j]}.
   */
  static void tile(int mr, int vectors, int k, float[] a, int a0, int aRs, int aCs, float[] b, int b0, int ldb,
      float[] c, int c0, int ldc) {
    if (vectors == VECTORS) {
      if (mr == ROWS) {
        k6x4(k, a, a0, aRs, aCs, b, b0, ldb, c, c0, ldc);
      } else if (mr == 4) {
        k4x4(k, a, a0, aRs, aCs, b, b0, ldb, c, c0, ldc);
      } else {
        k1x4(k, a, a0, aRs, aCs, b, b0, ldb, c, c0, ldc);
      }
    } else {
      GemmSimdNarrow.tile(mr, vectors == 2, k, a, a0, aRs, aCs, b, b0, ldb, c, c0, ldc);
    }
  }

  /** Rows of the largest tile for a panel of {@code vectors} vectors with {@code left} rows of C to go. */
  static int rows(int vectors, int left) {
    int big = vectors == VECTORS ? ROWS : 8;
    return left >= big ? big : left >= 4 ? 4 : 1;
  }

  private static void k6x4(int k, float[] a, int a0, int aRs, int aCs, float[] b, int b0, int ldb,
      float[] c, int c0, int ldc) {
    FloatVector s00 = FloatVector.zero(SPECIES);
    FloatVector s01 = s00, s02 = s00, s03 = s00, s10 = s00, s11 = s00, s12 = s00, s13 = s00, s20 = s00;
    FloatVector s21 = s00, s22 = s00, s23 = s00, s30 = s00, s31 = s00, s32 = s00, s33 = s00, s40 = s00;
    FloatVector s41 = s00, s42 = s00, s43 = s00, s50 = s00, s51 = s00, s52 = s00, s53 = s00;
    for (int p = 0; p < k; p++) {
      int bo = b0 + p * ldb;
      int ap = a0 + p * aCs;
      FloatVector v0 = FloatVector.fromArray(SPECIES, b, bo);
      FloatVector v1 = FloatVector.fromArray(SPECIES, b, bo + LANES);
      FloatVector v2 = FloatVector.fromArray(SPECIES, b, bo + 2 * LANES);
      FloatVector v3 = FloatVector.fromArray(SPECIES, b, bo + 3 * LANES);
      FloatVector x0 = FloatVector.broadcast(SPECIES, a[ap]);
      s00 = v0.fma(x0, s00);
      s01 = v1.fma(x0, s01);
      s02 = v2.fma(x0, s02);
      s03 = v3.fma(x0, s03);
      FloatVector x1 = FloatVector.broadcast(SPECIES, a[ap + aRs]);
      s10 = v0.fma(x1, s10);
      s11 = v1.fma(x1, s11);
      s12 = v2.fma(x1, s12);
      s13 = v3.fma(x1, s13);
      FloatVector x2 = FloatVector.broadcast(SPECIES, a[ap + 2 * aRs]);
      s20 = v0.fma(x2, s20);
      s21 = v1.fma(x2, s21);
      s22 = v2.fma(x2, s22);
      s23 = v3.fma(x2, s23);
      FloatVector x3 = FloatVector.broadcast(SPECIES, a[ap + 3 * aRs]);
      s30 = v0.fma(x3, s30);
      s31 = v1.fma(x3, s31);
      s32 = v2.fma(x3, s32);
      s33 = v3.fma(x3, s33);
      FloatVector x4 = FloatVector.broadcast(SPECIES, a[ap + 4 * aRs]);
      s40 = v0.fma(x4, s40);
      s41 = v1.fma(x4, s41);
      s42 = v2.fma(x4, s42);
      s43 = v3.fma(x4, s43);
      FloatVector x5 = FloatVector.broadcast(SPECIES, a[ap + 5 * aRs]);
      s50 = v0.fma(x5, s50);
      s51 = v1.fma(x5, s51);
      s52 = v2.fma(x5, s52);
      s53 = v3.fma(x5, s53);
    }
    FloatVector.fromArray(SPECIES, c, c0).add(s00).intoArray(c, c0);
    FloatVector.fromArray(SPECIES, c, c0 + LANES).add(s01).intoArray(c, c0 + LANES);
    FloatVector.fromArray(SPECIES, c, c0 + 2 * LANES).add(s02).intoArray(c, c0 + 2 * LANES);
    FloatVector.fromArray(SPECIES, c, c0 + 3 * LANES).add(s03).intoArray(c, c0 + 3 * LANES);
    FloatVector.fromArray(SPECIES, c, c0 + ldc).add(s10).intoArray(c, c0 + ldc);
    FloatVector.fromArray(SPECIES, c, c0 + ldc + LANES).add(s11).intoArray(c, c0 + ldc + LANES);
    FloatVector.fromArray(SPECIES, c, c0 + ldc + 2 * LANES).add(s12).intoArray(c, c0 + ldc + 2 * LANES);
    FloatVector.fromArray(SPECIES, c, c0 + ldc + 3 * LANES).add(s13).intoArray(c, c0 + ldc + 3 * LANES);
    FloatVector.fromArray(SPECIES, c, c0 + 2 * ldc).add(s20).intoArray(c, c0 + 2 * ldc);
    FloatVector.fromArray(SPECIES, c, c0 + 2 * ldc + LANES).add(s21).intoArray(c, c0 + 2 * ldc + LANES);
    FloatVector.fromArray(SPECIES, c, c0 + 2 * ldc + 2 * LANES).add(s22).intoArray(c, c0 + 2 * ldc + 2 * LANES);
    FloatVector.fromArray(SPECIES, c, c0 + 2 * ldc + 3 * LANES).add(s23).intoArray(c, c0 + 2 * ldc + 3 * LANES);
    FloatVector.fromArray(SPECIES, c, c0 + 3 * ldc).add(s30).intoArray(c, c0 + 3 * ldc);
    FloatVector.fromArray(SPECIES, c, c0 + 3 * ldc + LANES).add(s31).intoArray(c, c0 + 3 * ldc + LANES);
    FloatVector.fromArray(SPECIES, c, c0 + 3 * ldc + 2 * LANES).add(s32).intoArray(c, c0 + 3 * ldc + 2 * LANES);
    FloatVector.fromArray(SPECIES, c, c0 + 3 * ldc + 3 * LANES).add(s33).intoArray(c, c0 + 3 * ldc + 3 * LANES);
    FloatVector.fromArray(SPECIES, c, c0 + 4 * ldc).add(s40).intoArray(c, c0 + 4 * ldc);
    FloatVector.fromArray(SPECIES, c, c0 + 4 * ldc + LANES).add(s41).intoArray(c, c0 + 4 * ldc + LANES);
    FloatVector.fromArray(SPECIES, c, c0 + 4 * ldc + 2 * LANES).add(s42).intoArray(c, c0 + 4 * ldc + 2 * LANES);
    FloatVector.fromArray(SPECIES, c, c0 + 4 * ldc + 3 * LANES).add(s43).intoArray(c, c0 + 4 * ldc + 3 * LANES);
    FloatVector.fromArray(SPECIES, c, c0 + 5 * ldc).add(s50).intoArray(c, c0 + 5 * ldc);
    FloatVector.fromArray(SPECIES, c, c0 + 5 * ldc + LANES).add(s51).intoArray(c, c0 + 5 * ldc + LANES);
    FloatVector.fromArray(SPECIES, c, c0 + 5 * ldc + 2 * LANES).add(s52).intoArray(c, c0 + 5 * ldc + 2 * LANES);
    FloatVector.fromArray(SPECIES, c, c0 + 5 * ldc + 3 * LANES).add(s53).intoArray(c, c0 + 5 * ldc + 3 * LANES);
  }

  private static void k4x4(int k, float[] a, int a0, int aRs, int aCs, float[] b, int b0, int ldb,
      float[] c, int c0, int ldc) {
    FloatVector s00 = FloatVector.zero(SPECIES);
    FloatVector s01 = s00, s02 = s00, s03 = s00, s10 = s00, s11 = s00, s12 = s00, s13 = s00, s20 = s00;
    FloatVector s21 = s00, s22 = s00, s23 = s00, s30 = s00, s31 = s00, s32 = s00, s33 = s00;
    for (int p = 0; p < k; p++) {
      int bo = b0 + p * ldb;
      int ap = a0 + p * aCs;
      FloatVector v0 = FloatVector.fromArray(SPECIES, b, bo);
      FloatVector v1 = FloatVector.fromArray(SPECIES, b, bo + LANES);
      FloatVector v2 = FloatVector.fromArray(SPECIES, b, bo + 2 * LANES);
      FloatVector v3 = FloatVector.fromArray(SPECIES, b, bo + 3 * LANES);
      FloatVector x0 = FloatVector.broadcast(SPECIES, a[ap]);
      s00 = v0.fma(x0, s00);
      s01 = v1.fma(x0, s01);
      s02 = v2.fma(x0, s02);
      s03 = v3.fma(x0, s03);
      FloatVector x1 = FloatVector.broadcast(SPECIES, a[ap + aRs]);
      s10 = v0.fma(x1, s10);
      s11 = v1.fma(x1, s11);
      s12 = v2.fma(x1, s12);
      s13 = v3.fma(x1, s13);
      FloatVector x2 = FloatVector.broadcast(SPECIES, a[ap + 2 * aRs]);
      s20 = v0.fma(x2, s20);
      s21 = v1.fma(x2, s21);
      s22 = v2.fma(x2, s22);
      s23 = v3.fma(x2, s23);
      FloatVector x3 = FloatVector.broadcast(SPECIES, a[ap + 3 * aRs]);
      s30 = v0.fma(x3, s30);
      s31 = v1.fma(x3, s31);
      s32 = v2.fma(x3, s32);
      s33 = v3.fma(x3, s33);
    }
    FloatVector.fromArray(SPECIES, c, c0).add(s00).intoArray(c, c0);
    FloatVector.fromArray(SPECIES, c, c0 + LANES).add(s01).intoArray(c, c0 + LANES);
    FloatVector.fromArray(SPECIES, c, c0 + 2 * LANES).add(s02).intoArray(c, c0 + 2 * LANES);
    FloatVector.fromArray(SPECIES, c, c0 + 3 * LANES).add(s03).intoArray(c, c0 + 3 * LANES);
    FloatVector.fromArray(SPECIES, c, c0 + ldc).add(s10).intoArray(c, c0 + ldc);
    FloatVector.fromArray(SPECIES, c, c0 + ldc + LANES).add(s11).intoArray(c, c0 + ldc + LANES);
    FloatVector.fromArray(SPECIES, c, c0 + ldc + 2 * LANES).add(s12).intoArray(c, c0 + ldc + 2 * LANES);
    FloatVector.fromArray(SPECIES, c, c0 + ldc + 3 * LANES).add(s13).intoArray(c, c0 + ldc + 3 * LANES);
    FloatVector.fromArray(SPECIES, c, c0 + 2 * ldc).add(s20).intoArray(c, c0 + 2 * ldc);
    FloatVector.fromArray(SPECIES, c, c0 + 2 * ldc + LANES).add(s21).intoArray(c, c0 + 2 * ldc + LANES);
    FloatVector.fromArray(SPECIES, c, c0 + 2 * ldc + 2 * LANES).add(s22).intoArray(c, c0 + 2 * ldc + 2 * LANES);
    FloatVector.fromArray(SPECIES, c, c0 + 2 * ldc + 3 * LANES).add(s23).intoArray(c, c0 + 2 * ldc + 3 * LANES);
    FloatVector.fromArray(SPECIES, c, c0 + 3 * ldc).add(s30).intoArray(c, c0 + 3 * ldc);
    FloatVector.fromArray(SPECIES, c, c0 + 3 * ldc + LANES).add(s31).intoArray(c, c0 + 3 * ldc + LANES);
    FloatVector.fromArray(SPECIES, c, c0 + 3 * ldc + 2 * LANES).add(s32).intoArray(c, c0 + 3 * ldc + 2 * LANES);
    FloatVector.fromArray(SPECIES, c, c0 + 3 * ldc + 3 * LANES).add(s33).intoArray(c, c0 + 3 * ldc + 3 * LANES);
  }

  private static void k1x4(int k, float[] a, int a0, int aRs, int aCs, float[] b, int b0, int ldb,
      float[] c, int c0, int ldc) {
    FloatVector s00 = FloatVector.zero(SPECIES);
    FloatVector s01 = s00, s02 = s00, s03 = s00;
    for (int p = 0; p < k; p++) {
      int bo = b0 + p * ldb;
      int ap = a0 + p * aCs;
      FloatVector v0 = FloatVector.fromArray(SPECIES, b, bo);
      FloatVector v1 = FloatVector.fromArray(SPECIES, b, bo + LANES);
      FloatVector v2 = FloatVector.fromArray(SPECIES, b, bo + 2 * LANES);
      FloatVector v3 = FloatVector.fromArray(SPECIES, b, bo + 3 * LANES);
      FloatVector x0 = FloatVector.broadcast(SPECIES, a[ap]);
      s00 = v0.fma(x0, s00);
      s01 = v1.fma(x0, s01);
      s02 = v2.fma(x0, s02);
      s03 = v3.fma(x0, s03);
    }
    FloatVector.fromArray(SPECIES, c, c0).add(s00).intoArray(c, c0);
    FloatVector.fromArray(SPECIES, c, c0 + LANES).add(s01).intoArray(c, c0 + LANES);
    FloatVector.fromArray(SPECIES, c, c0 + 2 * LANES).add(s02).intoArray(c, c0 + 2 * LANES);
    FloatVector.fromArray(SPECIES, c, c0 + 3 * LANES).add(s03).intoArray(c, c0 + 3 * LANES);
  }
}
