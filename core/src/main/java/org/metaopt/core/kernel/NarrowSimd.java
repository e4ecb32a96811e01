package org.metaopt.core.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.metaopt.core.lopt.SimdLoops;

/**
 * The SIMD form ({@code jdk.incubator.vector}) of {@link DenseOps}' three products for a narrow layer, one whose
 * {@code outDim} is below a vector's {@link #LANES}: the same bits ({@code NarrowSimdTest}), with the vectors across
 * the batch or the inputs instead of the outputs.
 *
 * <p>{@link DenseOps} runs every product as short axpys or dots along {@code outDim}; at 4 or 10 outputs (the
 * classifier layers of the meta-train suite) those stay scalar and were 37% of mlp-lopt-h4's meta-training samples.
 * Here each output entry still gets the same float operations in the same order as in {@link DenseOps} (a multiply,
 * then an add, sequential over the summed index; zero left operands skipped, by a masked add; {@link DenseOps#dot}'s
 * four partial sums), only many entries at once:
 * <ul>
 *   <li>{@link #addMatmul} ({@code X W}): lanes are 16 batch rows; X and the output are transposed into scratch.
 *   <li>{@link #addMatmulTransposed} ({@code D W^T}): lanes are 16 inputs; W is transposed into scratch.
 *   <li>{@link #addOuterProducts} ({@code X^T D}): lanes are 16 inputs; the gradient block is transposed into scratch.
 * </ul>
 * The inputs beyond the last whole chunk of 16 (lanes over inputs) take {@link DenseOps}' scalar path. Uses only
 * {@link SimdLoops#SPECIES} (a second float shape makes C2 box vectors in every kernel; see {@link SimdLoops}).
 * Loaded only when {@link org.metaopt.core.lopt.Simd#ENABLED}. Owns its scratch (grown on first use of a shape):
 * one instance per {@link Gemm}, not thread-safe.
 */
final class NarrowSimd {
  static final VectorSpecies<Float> SPECIES = SimdLoops.SPECIES;
  static final int LANES = SimdLoops.LANES;

  private float[] inT = new float[0];
  private float[] outT = new float[0];

  /** Whether a layer of {@code outDim} outputs is narrow enough for these kernels. */
  static boolean narrow(int outDim) {
    return outDim < LANES;
  }

  private float[] inT(int n) {
    if (inT.length < n) {
      inT = new float[n];
    }
    return inT;
  }

  private float[] outT(int n) {
    if (outT.length < n) {
      outT = new float[n];
    }
    return outT;
  }

  /** {@link DenseOps#addMatmul}: {@code out[rows, outDim] += in[rows, inDim] * W}, zero entries of {@code in} skipped. */
  void addMatmul(float[] in, int rows, int inDim, float[] w, int wOff, int outDim, float[] out) {
    final int rp = SimdLoops.padded(rows);
    final float[] xt = inT(inDim * rp);
    final float[] yt = outT(outDim * rp);
    for (int i = 0; i < inDim; i++) { // X^T, padding rows 0 (masked off below as zero inputs)
      final int base = i * rp;
      for (int r = 0; r < rows; r++) {
        xt[base + r] = in[r * inDim + i];
      }
      java.util.Arrays.fill(xt, base + rows, base + rp, 0f);
    }
    for (int o = 0; o < outDim; o++) {
      final int base = o * rp;
      for (int r = 0; r < rows; r++) {
        yt[base + r] = out[r * outDim + o];
      }
    }
    for (int rb = 0; rb < rp; rb += LANES) {
      int o = 0;
      for (; o + 4 <= outDim; o += 4) {
        matmul4(xt, rp, rb, inDim, w, wOff, outDim, o, yt);
      }
      for (; o < outDim; o++) {
        matmul1(xt, rp, rb, inDim, w, wOff, outDim, o, yt);
      }
    }
    for (int o = 0; o < outDim; o++) {
      final int base = o * rp;
      for (int r = 0; r < rows; r++) {
        out[r * outDim + o] = yt[base + r];
      }
    }
  }

  /** Outputs {@code [o, o+4)} of rows {@code [rb, rb+LANES)}: four chains sharing each input's load and mask. */
  private static void matmul4(float[] xt, int rp, int rb, int inDim, float[] w, int wOff, int outDim, int o,
      float[] yt) {
    FloatVector a0 = FloatVector.fromArray(SPECIES, yt, o * rp + rb);
    FloatVector a1 = FloatVector.fromArray(SPECIES, yt, (o + 1) * rp + rb);
    FloatVector a2 = FloatVector.fromArray(SPECIES, yt, (o + 2) * rp + rb);
    FloatVector a3 = FloatVector.fromArray(SPECIES, yt, (o + 3) * rp + rb);
    for (int i = 0; i < inDim; i++) {
      final FloatVector x = FloatVector.fromArray(SPECIES, xt, i * rp + rb);
      final VectorMask<Float> nz = x.compare(VectorOperators.NE, 0f); // NaN counts as non-zero, as in DenseOps
      final int wi = wOff + i * outDim + o;
      a0 = a0.add(x.mul(w[wi]), nz);
      a1 = a1.add(x.mul(w[wi + 1]), nz);
      a2 = a2.add(x.mul(w[wi + 2]), nz);
      a3 = a3.add(x.mul(w[wi + 3]), nz);
    }
    a0.intoArray(yt, o * rp + rb);
    a1.intoArray(yt, (o + 1) * rp + rb);
    a2.intoArray(yt, (o + 2) * rp + rb);
    a3.intoArray(yt, (o + 3) * rp + rb);
  }

  private static void matmul1(float[] xt, int rp, int rb, int inDim, float[] w, int wOff, int outDim, int o,
      float[] yt) {
    FloatVector a0 = FloatVector.fromArray(SPECIES, yt, o * rp + rb);
    for (int i = 0; i < inDim; i++) {
      final FloatVector x = FloatVector.fromArray(SPECIES, xt, i * rp + rb);
      a0 = a0.add(x.mul(w[wOff + i * outDim + o]), x.compare(VectorOperators.NE, 0f));
    }
    a0.intoArray(yt, o * rp + rb);
  }

  /**
   * {@link DenseOps#addMatmulTransposed}: {@code out[rows, inDim] += d[rows, outDim] * W^T}, each entry
   * {@link DenseOps#dot}'s four partial sums over {@code outDim}, combined as {@code (s0 + s1) + (s2 + s3)}.
   */
  void addMatmulTransposed(float[] d, int rows, int outDim, float[] w, int wOff, int inDim, float[] out) {
    final int whole = inDim / LANES * LANES;
    final float[] wt = inT(outDim * whole);
    for (int i = 0; i < whole; i++) { // W^T for the whole chunks of inputs
      final int row = wOff + i * outDim;
      for (int j = 0; j < outDim; j++) {
        wt[j * whole + i] = w[row + j];
      }
    }
    final int quads = outDim & ~3;
    for (int r = 0; r < rows; r++) {
      final int dRow = r * outDim;
      final int outRow = r * inDim;
      for (int ib = 0; ib < whole; ib += LANES) {
        FloatVector s0 = FloatVector.zero(SPECIES);
        FloatVector s1 = FloatVector.zero(SPECIES);
        FloatVector s2 = FloatVector.zero(SPECIES);
        FloatVector s3 = FloatVector.zero(SPECIES);
        int j = 0;
        for (; j < quads; j += 4) {
          s0 = s0.add(FloatVector.fromArray(SPECIES, wt, j * whole + ib).mul(d[dRow + j]));
          s1 = s1.add(FloatVector.fromArray(SPECIES, wt, (j + 1) * whole + ib).mul(d[dRow + j + 1]));
          s2 = s2.add(FloatVector.fromArray(SPECIES, wt, (j + 2) * whole + ib).mul(d[dRow + j + 2]));
          s3 = s3.add(FloatVector.fromArray(SPECIES, wt, (j + 3) * whole + ib).mul(d[dRow + j + 3]));
        }
        for (; j < outDim; j++) {
          s0 = s0.add(FloatVector.fromArray(SPECIES, wt, j * whole + ib).mul(d[dRow + j]));
        }
        FloatVector.fromArray(SPECIES, out, outRow + ib).add(s0.add(s1).add(s2.add(s3))).intoArray(out, outRow + ib);
      }
      for (int i = whole; i < inDim; i++) {
        out[outRow + i] += DenseOps.dot(w, wOff + i * outDim, d, dRow, outDim);
      }
    }
  }

  /**
   * {@link DenseOps#addOuterProducts}: {@code g[inDim, outDim] (at gOff) += in[rows, inDim]^T * d[rows, outDim]}, each
   * entry sequential over the rows, zero entries of {@code in} skipped.
   */
  void addOuterProducts(float[] in, int rows, int inDim, float[] d, int outDim, float[] g, int gOff) {
    final int whole = inDim / LANES * LANES;
    final float[] gt = outT(outDim * whole);
    for (int i = 0; i < whole; i++) { // the gradient block, transposed
      final int row = gOff + i * outDim;
      for (int o = 0; o < outDim; o++) {
        gt[o * whole + i] = g[row + o];
      }
    }
    for (int ib = 0; ib < whole; ib += LANES) {
      int o = 0;
      for (; o + 4 <= outDim; o += 4) {
        outer4(in, rows, inDim, d, outDim, ib, o, gt, whole);
      }
      for (; o < outDim; o++) {
        outer1(in, rows, inDim, d, outDim, ib, o, gt, whole);
      }
    }
    for (int i = 0; i < whole; i++) {
      final int row = gOff + i * outDim;
      for (int o = 0; o < outDim; o++) {
        g[row + o] = gt[o * whole + i];
      }
    }
    if (whole < inDim) { // the last inputs, as DenseOps: each entry sequential over the rows
      for (int r = 0; r < rows; r++) {
        final int dRow = r * outDim;
        for (int i = whole; i < inDim; i++) {
          final float xi = in[r * inDim + i];
          if (xi != 0f) {
            final int gRow = gOff + i * outDim;
            for (int o = 0; o < outDim; o++) {
              g[gRow + o] += xi * d[dRow + o];
            }
          }
        }
      }
    }
  }

  /** Outputs {@code [o, o+4)} of inputs {@code [ib, ib+LANES)}: four chains sharing each row's load and mask. */
  private static void outer4(float[] in, int rows, int inDim, float[] d, int outDim, int ib, int o, float[] gt,
      int whole) {
    FloatVector a0 = FloatVector.fromArray(SPECIES, gt, o * whole + ib);
    FloatVector a1 = FloatVector.fromArray(SPECIES, gt, (o + 1) * whole + ib);
    FloatVector a2 = FloatVector.fromArray(SPECIES, gt, (o + 2) * whole + ib);
    FloatVector a3 = FloatVector.fromArray(SPECIES, gt, (o + 3) * whole + ib);
    for (int r = 0; r < rows; r++) {
      final FloatVector x = FloatVector.fromArray(SPECIES, in, r * inDim + ib);
      final VectorMask<Float> nz = x.compare(VectorOperators.NE, 0f);
      final int di = r * outDim + o;
      a0 = a0.add(x.mul(d[di]), nz);
      a1 = a1.add(x.mul(d[di + 1]), nz);
      a2 = a2.add(x.mul(d[di + 2]), nz);
      a3 = a3.add(x.mul(d[di + 3]), nz);
    }
    a0.intoArray(gt, o * whole + ib);
    a1.intoArray(gt, (o + 1) * whole + ib);
    a2.intoArray(gt, (o + 2) * whole + ib);
    a3.intoArray(gt, (o + 3) * whole + ib);
  }

  private static void outer1(float[] in, int rows, int inDim, float[] d, int outDim, int ib, int o, float[] gt,
      int whole) {
    FloatVector a0 = FloatVector.fromArray(SPECIES, gt, o * whole + ib);
    for (int r = 0; r < rows; r++) {
      final FloatVector x = FloatVector.fromArray(SPECIES, in, r * inDim + ib);
      a0 = a0.add(x.mul(d[r * outDim + o]), x.compare(VectorOperators.NE, 0f));
    }
    a0.intoArray(gt, o * whole + ib);
  }
}
