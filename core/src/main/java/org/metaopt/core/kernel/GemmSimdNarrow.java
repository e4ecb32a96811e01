package org.metaopt.core.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link GemmSimd}'s tiles for panels of one or two vectors (the last columns of a product, layers 32 or 10 wide):
 * 8, 4 or 1 rows by one or two vectors, with the same operands, the same per-entry summation order (so the same bits)
 * and the same restrictions on Vector API use as {@link GemmSimd}. Loaded only when {@link Simd#ENABLED}. Stateless
 * and thread-safe.
 */
final class GemmSimdNarrow {
  private static final VectorSpecies<Float> SPECIES = GemmSimd.SPECIES;
  private static final int LANES = GemmSimd.LANES;

  private GemmSimdNarrow() {}

  /** As {@link GemmSimd#tile} for {@code mr} in {8, 4, 1} and one or ({@code two}) two vectors. */
  static void tile(int mr, boolean two, int k, float[] a, int a0, int aRs, int aCs, float[] b, int b0, int ldb,
      float[] c, int c0, int ldc) {
    if (mr == 8) {
      if (two) {
        k8x2(k, a, a0, aRs, aCs, b, b0, ldb, c, c0, ldc);
      } else {
        k8x1(k, a, a0, aRs, aCs, b, b0, ldb, c, c0, ldc);
      }
    } else if (mr == 4) {
      if (two) {
        k4x2(k, a, a0, aRs, aCs, b, b0, ldb, c, c0, ldc);
      } else {
        k4x1(k, a, a0, aRs, aCs, b, b0, ldb, c, c0, ldc);
      }
    } else if (two) {
      k1x2(k, a, a0, aRs, aCs, b, b0, ldb, c, c0, ldc);
    } else {
      k1x1(k, a, a0, aRs, aCs, b, b0, ldb, c, c0, ldc);
    }
  }

  private static void k8x2(int k, float[] a, int a0, int aRs, int aCs, float[] b, int b0, int ldb,
      float[] c, int c0, int ldc) {
    FloatVector s00 = FloatVector.zero(SPECIES);
    FloatVector s01 = s00, s10 = s00, s11 = s00, s20 = s00, s21 = s00, s30 = s00, s31 = s00, s40 = s00;
    FloatVector s41 = s00, s50 = s00, s51 = s00, s60 = s00, s61 = s00, s70 = s00, s71 = s00;
    for (int p = 0; p < k; p++) {
      int bo = b0 + p * ldb;
      int ap = a0 + p * aCs;
      FloatVector v0 = FloatVector.fromArray(SPECIES, b, bo);
      FloatVector v1 = FloatVector.fromArray(SPECIES, b, bo + LANES);
      FloatVector x0 = FloatVector.broadcast(SPECIES, a[ap]);
      s00 = v0.fma(x0, s00);
      s01 = v1.fma(x0, s01);
      FloatVector x1 = FloatVector.broadcast(SPECIES, a[ap + aRs]);
      s10 = v0.fma(x1, s10);
      s11 = v1.fma(x1, s11);
      FloatVector x2 = FloatVector.broadcast(SPECIES, a[ap + 2 * aRs]);
      s20 = v0.fma(x2, s20);
      s21 = v1.fma(x2, s21);
      FloatVector x3 = FloatVector.broadcast(SPECIES, a[ap + 3 * aRs]);
      s30 = v0.fma(x3, s30);
      s31 = v1.fma(x3, s31);
      FloatVector x4 = FloatVector.broadcast(SPECIES, a[ap + 4 * aRs]);
      s40 = v0.fma(x4, s40);
      s41 = v1.fma(x4, s41);
      FloatVector x5 = FloatVector.broadcast(SPECIES, a[ap + 5 * aRs]);
      s50 = v0.fma(x5, s50);
      s51 = v1.fma(x5, s51);
      FloatVector x6 = FloatVector.broadcast(SPECIES, a[ap + 6 * aRs]);
      s60 = v0.fma(x6, s60);
      s61 = v1.fma(x6, s61);
      FloatVector x7 = FloatVector.broadcast(SPECIES, a[ap + 7 * aRs]);
      s70 = v0.fma(x7, s70);
      s71 = v1.fma(x7, s71);
    }
    FloatVector.fromArray(SPECIES, c, c0).add(s00).intoArray(c, c0);
    FloatVector.fromArray(SPECIES, c, c0 + LANES).add(s01).intoArray(c, c0 + LANES);
    FloatVector.fromArray(SPECIES, c, c0 + ldc).add(s10).intoArray(c, c0 + ldc);
    FloatVector.fromArray(SPECIES, c, c0 + ldc + LANES).add(s11).intoArray(c, c0 + ldc + LANES);
    FloatVector.fromArray(SPECIES, c, c0 + 2 * ldc).add(s20).intoArray(c, c0 + 2 * ldc);
    FloatVector.fromArray(SPECIES, c, c0 + 2 * ldc + LANES).add(s21).intoArray(c, c0 + 2 * ldc + LANES);
    FloatVector.fromArray(SPECIES, c, c0 + 3 * ldc).add(s30).intoArray(c, c0 + 3 * ldc);
    FloatVector.fromArray(SPECIES, c, c0 + 3 * ldc + LANES).add(s31).intoArray(c, c0 + 3 * ldc + LANES);
    FloatVector.fromArray(SPECIES, c, c0 + 4 * ldc).add(s40).intoArray(c, c0 + 4 * ldc);
    FloatVector.fromArray(SPECIES, c, c0 + 4 * ldc + LANES).add(s41).intoArray(c, c0 + 4 * ldc + LANES);
    FloatVector.fromArray(SPECIES, c, c0 + 5 * ldc).add(s50).intoArray(c, c0 + 5 * ldc);
    FloatVector.fromArray(SPECIES, c, c0 + 5 * ldc + LANES).add(s51).intoArray(c, c0 + 5 * ldc + LANES);
    FloatVector.fromArray(SPECIES, c, c0 + 6 * ldc).add(s60).intoArray(c, c0 + 6 * ldc);
    FloatVector.fromArray(SPECIES, c, c0 + 6 * ldc + LANES).add(s61).intoArray(c, c0 + 6 * ldc + LANES);
    FloatVector.fromArray(SPECIES, c, c0 + 7 * ldc).add(s70).intoArray(c, c0 + 7 * ldc);
    FloatVector.fromArray(SPECIES, c, c0 + 7 * ldc + LANES).add(s71).intoArray(c, c0 + 7 * ldc + LANES);
  }

  private static void k8x1(int k, float[] a, int a0, int aRs, int aCs, float[] b, int b0, int ldb,
      float[] c, int c0, int ldc) {
    FloatVector s00 = FloatVector.zero(SPECIES);
    FloatVector s10 = s00, s20 = s00, s30 = s00, s40 = s00, s50 = s00, s60 = s00, s70 = s00;
    for (int p = 0; p < k; p++) {
      int bo = b0 + p * ldb;
      int ap = a0 + p * aCs;
      FloatVector v0 = FloatVector.fromArray(SPECIES, b, bo);
      FloatVector x0 = FloatVector.broadcast(SPECIES, a[ap]);
      s00 = v0.fma(x0, s00);
      FloatVector x1 = FloatVector.broadcast(SPECIES, a[ap + aRs]);
      s10 = v0.fma(x1, s10);
      FloatVector x2 = FloatVector.broadcast(SPECIES, a[ap + 2 * aRs]);
      s20 = v0.fma(x2, s20);
      FloatVector x3 = FloatVector.broadcast(SPECIES, a[ap + 3 * aRs]);
      s30 = v0.fma(x3, s30);
      FloatVector x4 = FloatVector.broadcast(SPECIES, a[ap + 4 * aRs]);
      s40 = v0.fma(x4, s40);
      FloatVector x5 = FloatVector.broadcast(SPECIES, a[ap + 5 * aRs]);
      s50 = v0.fma(x5, s50);
      FloatVector x6 = FloatVector.broadcast(SPECIES, a[ap + 6 * aRs]);
      s60 = v0.fma(x6, s60);
      FloatVector x7 = FloatVector.broadcast(SPECIES, a[ap + 7 * aRs]);
      s70 = v0.fma(x7, s70);
    }
    FloatVector.fromArray(SPECIES, c, c0).add(s00).intoArray(c, c0);
    FloatVector.fromArray(SPECIES, c, c0 + ldc).add(s10).intoArray(c, c0 + ldc);
    FloatVector.fromArray(SPECIES, c, c0 + 2 * ldc).add(s20).intoArray(c, c0 + 2 * ldc);
    FloatVector.fromArray(SPECIES, c, c0 + 3 * ldc).add(s30).intoArray(c, c0 + 3 * ldc);
    FloatVector.fromArray(SPECIES, c, c0 + 4 * ldc).add(s40).intoArray(c, c0 + 4 * ldc);
    FloatVector.fromArray(SPECIES, c, c0 + 5 * ldc).add(s50).intoArray(c, c0 + 5 * ldc);
    FloatVector.fromArray(SPECIES, c, c0 + 6 * ldc).add(s60).intoArray(c, c0 + 6 * ldc);
    FloatVector.fromArray(SPECIES, c, c0 + 7 * ldc).add(s70).intoArray(c, c0 + 7 * ldc);
  }

  private static void k4x2(int k, float[] a, int a0, int aRs, int aCs, float[] b, int b0, int ldb,
      float[] c, int c0, int ldc) {
    FloatVector s00 = FloatVector.zero(SPECIES);
    FloatVector s01 = s00, s10 = s00, s11 = s00, s20 = s00, s21 = s00, s30 = s00, s31 = s00;
    for (int p = 0; p < k; p++) {
      int bo = b0 + p * ldb;
      int ap = a0 + p * aCs;
      FloatVector v0 = FloatVector.fromArray(SPECIES, b, bo);
      FloatVector v1 = FloatVector.fromArray(SPECIES, b, bo + LANES);
      FloatVector x0 = FloatVector.broadcast(SPECIES, a[ap]);
      s00 = v0.fma(x0, s00);
      s01 = v1.fma(x0, s01);
      FloatVector x1 = FloatVector.broadcast(SPECIES, a[ap + aRs]);
      s10 = v0.fma(x1, s10);
      s11 = v1.fma(x1, s11);
      FloatVector x2 = FloatVector.broadcast(SPECIES, a[ap + 2 * aRs]);
      s20 = v0.fma(x2, s20);
      s21 = v1.fma(x2, s21);
      FloatVector x3 = FloatVector.broadcast(SPECIES, a[ap + 3 * aRs]);
      s30 = v0.fma(x3, s30);
      s31 = v1.fma(x3, s31);
    }
    FloatVector.fromArray(SPECIES, c, c0).add(s00).intoArray(c, c0);
    FloatVector.fromArray(SPECIES, c, c0 + LANES).add(s01).intoArray(c, c0 + LANES);
    FloatVector.fromArray(SPECIES, c, c0 + ldc).add(s10).intoArray(c, c0 + ldc);
    FloatVector.fromArray(SPECIES, c, c0 + ldc + LANES).add(s11).intoArray(c, c0 + ldc + LANES);
    FloatVector.fromArray(SPECIES, c, c0 + 2 * ldc).add(s20).intoArray(c, c0 + 2 * ldc);
    FloatVector.fromArray(SPECIES, c, c0 + 2 * ldc + LANES).add(s21).intoArray(c, c0 + 2 * ldc + LANES);
    FloatVector.fromArray(SPECIES, c, c0 + 3 * ldc).add(s30).intoArray(c, c0 + 3 * ldc);
    FloatVector.fromArray(SPECIES, c, c0 + 3 * ldc + LANES).add(s31).intoArray(c, c0 + 3 * ldc + LANES);
  }

  private static void k4x1(int k, float[] a, int a0, int aRs, int aCs, float[] b, int b0, int ldb,
      float[] c, int c0, int ldc) {
    FloatVector s00 = FloatVector.zero(SPECIES);
    FloatVector s10 = s00, s20 = s00, s30 = s00;
    for (int p = 0; p < k; p++) {
      int bo = b0 + p * ldb;
      int ap = a0 + p * aCs;
      FloatVector v0 = FloatVector.fromArray(SPECIES, b, bo);
      FloatVector x0 = FloatVector.broadcast(SPECIES, a[ap]);
      s00 = v0.fma(x0, s00);
      FloatVector x1 = FloatVector.broadcast(SPECIES, a[ap + aRs]);
      s10 = v0.fma(x1, s10);
      FloatVector x2 = FloatVector.broadcast(SPECIES, a[ap + 2 * aRs]);
      s20 = v0.fma(x2, s20);
      FloatVector x3 = FloatVector.broadcast(SPECIES, a[ap + 3 * aRs]);
      s30 = v0.fma(x3, s30);
    }
    FloatVector.fromArray(SPECIES, c, c0).add(s00).intoArray(c, c0);
    FloatVector.fromArray(SPECIES, c, c0 + ldc).add(s10).intoArray(c, c0 + ldc);
    FloatVector.fromArray(SPECIES, c, c0 + 2 * ldc).add(s20).intoArray(c, c0 + 2 * ldc);
    FloatVector.fromArray(SPECIES, c, c0 + 3 * ldc).add(s30).intoArray(c, c0 + 3 * ldc);
  }

  private static void k1x2(int k, float[] a, int a0, int aRs, int aCs, float[] b, int b0, int ldb,
      float[] c, int c0, int ldc) {
    FloatVector s00 = FloatVector.zero(SPECIES);
    FloatVector s01 = s00;
    for (int p = 0; p < k; p++) {
      int bo = b0 + p * ldb;
      int ap = a0 + p * aCs;
      FloatVector v0 = FloatVector.fromArray(SPECIES, b, bo);
      FloatVector v1 = FloatVector.fromArray(SPECIES, b, bo + LANES);
      FloatVector x0 = FloatVector.broadcast(SPECIES, a[ap]);
      s00 = v0.fma(x0, s00);
      s01 = v1.fma(x0, s01);
    }
    FloatVector.fromArray(SPECIES, c, c0).add(s00).intoArray(c, c0);
    FloatVector.fromArray(SPECIES, c, c0 + LANES).add(s01).intoArray(c, c0 + LANES);
  }

  private static void k1x1(int k, float[] a, int a0, int aRs, int aCs, float[] b, int b0, int ldb,
      float[] c, int c0, int ldc) {
    FloatVector s00 = FloatVector.zero(SPECIES);
    for (int p = 0; p < k; p++) {
      int bo = b0 + p * ldb;
      int ap = a0 + p * aCs;
      FloatVector v0 = FloatVector.fromArray(SPECIES, b, bo);
      FloatVector x0 = FloatVector.broadcast(SPECIES, a[ap]);
      s00 = v0.fma(x0, s00);
    }
    FloatVector.fromArray(SPECIES, c, c0).add(s00).intoArray(c, c0);
  }
}
