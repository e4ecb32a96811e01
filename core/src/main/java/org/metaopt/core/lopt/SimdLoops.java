package org.metaopt.core.lopt;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * SIMD ({@code jdk.incubator.vector}) forms of {@link Rows#row}, of {@link FastMathLoops#sigmoid} and
 * {@link FastMathLoops#tanh}, and of {@link FastMathLoops#asinhRatio} with {@link FastMathLoops#log}: the same
 * float operations in the same order, so the same bits
 * ({@code SimdLoopsTest}), faster. Used only when {@link Simd#ENABLED}; public for the {@code hrnn} subpackage.
 *
 * <p>They run over whole chunks of {@link #LANES}: up to {@link #padded}{@code (len)}, which must not exceed the
 * rows' length, and lanes from {@code len} on get values computed from whatever the rows hold there (callers read
 * only {@code [0, len)}).
 *
 * <ul>
 *   <li>{@link #rows}: eight output rows at a time (then four or two rows over two chunks), each a multiply-add
 *       chain over the inputs in order (as {@link Rows#row}) held in a register, so that eight independent chains
 *       cover the multiply-add latency and an input is loaded once for eight rows: ~84 against ~58 GFLOP/s for
 *       {@link Rows} on 22 inputs and 512 coordinates (AVX-512, JDK 17).
 *   <li>{@link #sigmoid}, {@link #tanh}: their clamps as compare-and-blend (two instructions) where C2 expands
 *       {@code Math.min}/{@code max} to about seven, for Java's NaN and signed-zero rules. With a nonzero bound the
 *       two agree on every input, NaN and -0.0 included. The Padé form is written out in both loops: a helper
 *       method taking a vector would be boxed whenever C2 does not inline it.
 * </ul>
 * Every method that holds Vector API calls is larger than C2's inlining limit for hot methods (325 bytecodes), so
 * it is compiled alone; inlined into a large caller, C2 can run out of its node budget there and leave Vector API
 * calls out-of-line, with their vectors boxed on the heap ({@code LearnedOptimizerBench -prof gc} shows it as
 * allocation per step). Stateless and thread-safe.
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

  /**
   * {@link FastMathLoops#asinhRatio}{@code (a, m, asinh, len)} and {@link FastMathLoops#log}{@code (m, log, .., len)}
   * in one pass, bit for bit, for {@code i < padded(len)}: the hierarchical RNN's two features of one timescale.
   * Returns whether some lane has {@code |s|} beyond {@link FastMathLoops#ASINH_S_LIMIT} (where asinhRatio's sum
   * is positive), so that the caller redoes those lanes another way; lanes from {@code len} on count too, so the
   * caller pads them ({@code a = 0, m = 1} gives {@code s = 0} and {@code log = 0}).
   */
  public static boolean asinhRatioAndLog(float[] a, float[] m, float[] asinh, float[] log, int len) {
    final int n = padded(len);
    final float limit2 = FastMathLoops.ASINH_S_LIMIT * FastMathLoops.ASINH_S_LIMIT;
    final float floor = FastMathLoops.S_FLOOR;
    boolean beyond = false;
    for (int i = 0; i < n; i += LANES) {
      final FloatVector av = FloatVector.fromArray(SPECIES, a, i);
      final FloatVector mv = FloatVector.fromArray(SPECIES, m, i);
      // asinh(a / sqrt(m)) = 2 atanh(s), s = a / (sqrt(m) + sqrt(m + a^2)), by the series to s^29
      FloatVector s = av.div(mv.lanewise(VectorOperators.SQRT).add(av.fma(av, mv).lanewise(VectorOperators.SQRT)));
      FloatVector sa = s.abs();
      sa = sa.blend(floor, sa.compare(VectorOperators.LT, floor));
      FloatVector s2 = sa.mul(sa);
      FloatVector q = FloatVector.broadcast(SPECIES, 1f / 29f);
      q = q.fma(s2, FloatVector.broadcast(SPECIES, 1f / 27f));
      q = q.fma(s2, FloatVector.broadcast(SPECIES, 1f / 25f));
      q = q.fma(s2, FloatVector.broadcast(SPECIES, 1f / 23f));
      q = q.fma(s2, FloatVector.broadcast(SPECIES, 1f / 21f));
      q = q.fma(s2, FloatVector.broadcast(SPECIES, 1f / 19f));
      q = q.fma(s2, FloatVector.broadcast(SPECIES, 1f / 17f));
      q = q.fma(s2, FloatVector.broadcast(SPECIES, 1f / 15f));
      q = q.fma(s2, FloatVector.broadcast(SPECIES, 1f / 13f));
      q = q.fma(s2, FloatVector.broadcast(SPECIES, 1f / 11f));
      q = q.fma(s2, FloatVector.broadcast(SPECIES, 1f / 9f));
      q = q.fma(s2, FloatVector.broadcast(SPECIES, 1f / 7f));
      q = q.fma(s2, FloatVector.broadcast(SPECIES, 1f / 5f));
      q = q.fma(s2, FloatVector.broadcast(SPECIES, 1f / 3f));
      s.mul(2f).mul(q.fma(s2, FloatVector.broadcast(SPECIES, 1f))).intoArray(asinh, i);
      beyond |= s2.compare(VectorOperators.GT, limit2).anyTrue();
      // log(m): exponent split so that the mantissa is in [sqrt(1/2), sqrt(2)), then the atanh series
      final IntVector bits = mv.reinterpretAsInts();
      final IntVector e = bits.sub(0x3f3504f3).lanewise(VectorOperators.ASHR, 23);
      final FloatVector mant = bits.sub(e.lanewise(VectorOperators.LSHL, 23)).reinterpretAsFloats();
      final FloatVector ef = e.add(FastMathLoops.MAGIC_BITS).reinterpretAsFloats().sub(FastMathLoops.MAGIC);
      final FloatVector u = mant.sub(1f).div(mant.add(1f));
      final FloatVector u2 = u.mul(u);
      FloatVector series = u2.mul(1f / 9f).add(1f / 7f).mul(u2).add(1f / 5f).mul(u2).add(1f / 3f).mul(u2).add(1f);
      series = u.mul(2f).mul(series);
      ef.mul(FastMathLoops.LN2).add(series).intoArray(log, i);
    }
    return beyond;
  }

  /** {@code x[i] = FastMath.tanh(x[i])} for {@code i < padded(len)}, bit for bit. */
  public static void tanh(float[] x, int len) {
    activate(x, len, false);
  }

  /** {@code x[i] = FastMath.sigmoid(x[i])} for {@code i < padded(len)}, bit for bit. */
  public static void sigmoid(float[] x, int len) {
    activate(x, len, true);
  }

  /**
   * tanh or sigmoid ({@code (1 + tanh(x / 2)) / 2}). One method for both, on purpose: it is larger than C2's inlining
   * limit for hot methods (325 bytecodes), so it is always compiled alone. Inlined into a large caller it can run
   * out of C2's node budget there, leaving Vector API calls out-of-line with their vectors boxed.
   */
  private static void activate(float[] x, int len, boolean sigmoid) {
    final int n = padded(len);
    final float c = FastMath.TANH_CLAMP;
    if (sigmoid) { // two loops, not a test per chunk: also what keeps the method above the inlining limit
      for (int i = 0; i < n; i += LANES) {
        FloatVector v = FloatVector.fromArray(SPECIES, x, i).mul(0.5f);
        v = v.blend(c, v.compare(VectorOperators.GT, c)).blend(-c, v.compare(VectorOperators.LT, -c));
        FloatVector x2 = v.mul(v);
        FloatVector p = v.mul(x2.add(990f).mul(x2).add(135135f).mul(x2).add(4729725f).mul(x2).add(34459425f));
        FloatVector q = x2.mul(45f).add(13860f).mul(x2).add(945945f).mul(x2).add(16216200f).mul(x2).add(34459425f);
        FloatVector t = p.div(q);
        t = t.blend(1f, t.compare(VectorOperators.GT, 1f)).blend(-1f, t.compare(VectorOperators.LT, -1f));
        t.mul(0.5f).add(0.5f).intoArray(x, i);
      }
    } else {
      for (int i = 0; i < n; i += LANES) {
        FloatVector v = FloatVector.fromArray(SPECIES, x, i);
        v = v.blend(c, v.compare(VectorOperators.GT, c)).blend(-c, v.compare(VectorOperators.LT, -c));
        FloatVector x2 = v.mul(v);
        FloatVector p = v.mul(x2.add(990f).mul(x2).add(135135f).mul(x2).add(4729725f).mul(x2).add(34459425f));
        FloatVector q = x2.mul(45f).add(13860f).mul(x2).add(945945f).mul(x2).add(16216200f).mul(x2).add(34459425f);
        FloatVector t = p.div(q);
        t = t.blend(1f, t.compare(VectorOperators.GT, 1f)).blend(-1f, t.compare(VectorOperators.LT, -1f));
        t.intoArray(x, i);
      }
    }
  }
}
