package org.metaopt.core.kernel;

import java.util.Arrays;

/**
 * The Vector API backend of {@link Gemm}: the three dense-layer products as one strided GEMM on {@link GemmSimd}'s
 * register-blocked tiles, reading every operand in place (no copies into native memory, no per-call objects).
 *
 * <p>{@link #gemm} computes {@code C += A B} for operands given by a base offset and a row and column stride each,
 * so a matrix and its transpose are the same array. Column panels of C (64 wide, then 32 and 16 for the rest) are
 * the outer loop; each panel of B ({@code k x 64}) is first copied into contiguous scratch, zero-padded past
 * {@code n}, so that the tiles read it as consecutive vectors (unpacked, with B's rows 4 KB apart, the 128x1024x1024
 * product ran at ~95-115 GFLOP/s, packed at ~160-180; blocking {@code k} as well gained nothing more and would
 * change the summation order). Tiles whose C columns are not consecutive whole vectors go through a zeroed scratch
 * tile that is then added into C.
 *
 * <p>{@code D W^T} runs in the cheaper orientation: {@code (D W^T)} with W read transposed into the panels when W is
 * small ({@code in * out <= rows * (in + out)}, e.g. a 10-wide output layer), else {@code (W D^T)^T} with D read
 * transposed and the result added back transposed. Whatever the path, each entry of C is {@code c + s} with
 * {@code s} summed over {@code k} in increasing order by fused multiply-adds from 0 (a scratch tile adds
 * {@code 0 + s} first, which only turns a {@code -0} into {@code +0}).
 *
 * <p>Made by {@link Gemm} on first use, only when {@link Simd#ENABLED}. Owns two scratch buffers (a panel of
 * {@code k x 64} floats for the largest {@code k} seen, and one tile): one thread only, no allocation once sized.
 */
final class SimdGemm {
  private static final int L = GemmSimd.LANES;
  private static final int PANEL = GemmSimd.VECTORS * L;
  private float[] panel = new float[0];
  private final float[] tile = new float[Math.max(GemmSimd.ROWS * PANEL, 8 * 2 * L)];

  /** {@code out[rows, outDim] += in[rows, inDim] * W}. */
  void addMatmul(float[] in, int rows, int inDim, float[] w, int wOff, int outDim, float[] out) {
    gemm(rows, outDim, inDim, in, 0, inDim, 1, w, wOff, outDim, 1, out, 0, outDim, 1);
  }

  /** {@code g[inDim, outDim] (at gOff) += in[rows, inDim]^T * d[rows, outDim]}. */
  void addOuterProducts(float[] in, int rows, int inDim, float[] d, int outDim, float[] g, int gOff) {
    gemm(inDim, outDim, rows, in, 0, 1, inDim, d, 0, outDim, 1, g, gOff, outDim, 1);
  }

  /** {@code out[rows, inDim] += d[rows, outDim] * W^T}. */
  void addMatmulTransposed(float[] d, int rows, int outDim, float[] w, int wOff, int inDim, float[] out) {
    if ((long) inDim * outDim <= (long) rows * (inDim + outDim)) {
      gemm(rows, inDim, outDim, d, 0, outDim, 1, w, wOff, 1, outDim, out, 0, inDim, 1);
    } else {
      gemm(inDim, rows, outDim, w, wOff, outDim, 1, d, 0, 1, outDim, out, 0, 1, inDim);
    }
  }

  /**
   * {@code C[m x n] += A[m x k] B[k x n]} with {@code A(i, p) = a[aOff + i*aRs + p*aCs]}, {@code B(p, j) =
   * b[bOff + p*bRs + j*bCs]} and {@code C(i, j) = c[cOff + i*cRs + j*cCs]}; C must not overlap A or B.
   */
  void gemm(int m, int n, int k, float[] a, int aOff, int aRs, int aCs, float[] b, int bOff, int bRs, int bCs,
      float[] c, int cOff, int cRs, int cCs) {
    if (panel.length < k * PANEL) {
      panel = new float[k * PANEL];
    }
    for (int j0 = 0; j0 < n; ) {
      int w = Math.min(PANEL, n - j0);
      int pw = w >= PANEL ? PANEL : w > L ? 2 * L : L; // whole panels first, then 32 and 16 wide (padded if short)
      w = Math.min(w, pw);
      float[] pb = panel;
      int pOff = 0;
      if (bCs == 1 && bRs == pw && w == pw) {
        pb = b; // already consecutive vectors (a 32-wide layer's W)
        pOff = bOff + j0;
      } else {
        pack(b, bOff + j0 * bCs, bRs, bCs, k, w, pw);
      }
      boolean direct = cCs == 1 && w == pw;
      for (int i = 0; i < m; ) {
        int mr = GemmSimd.rows(pw / L, m - i);
        int ci = cOff + i * cRs + j0 * cCs;
        float[] t = direct ? c : tile;
        if (!direct) {
          Arrays.fill(tile, 0, mr * pw, 0f);
        }
        GemmSimd.tile(mr, pw / L, k, a, aOff + i * aRs, aRs, aCs, pb, pOff, pw, t, direct ? ci : 0,
            direct ? cRs : pw);
        if (!direct) {
          scatterAdd(mr, w, pw, c, ci, cRs, cCs);
        }
        i += mr;
      }
      j0 += w;
    }
  }

  /** {@code panel[p * pw + j] = B(p, j)} for {@code j < w} (the panel's columns of B), 0 for {@code w <= j < pw}. */
  private void pack(float[] b, int base, int bRs, int bCs, int k, int w, int pw) {
    if (bCs == 1) {
      for (int p = 0; p < k; p++) {
        System.arraycopy(b, base + p * bRs, panel, p * pw, w);
      }
    } else {
      for (int j = 0; j < w; j++) {
        int src = base + j * bCs;
        for (int p = 0; p < k; p++) {
          panel[p * pw + j] = b[src + p * bRs];
        }
      }
    }
    if (w < pw) {
      for (int p = 0; p < k; p++) {
        Arrays.fill(panel, p * pw + w, (p + 1) * pw, 0f);
      }
    }
  }

  /** {@code C(i, j) += tile[i * pw + j]} for the tile's {@code mr x w} entries, C at {@code ci} with its strides. */
  private void scatterAdd(int mr, int w, int pw, float[] c, int ci, int cRs, int cCs) {
    for (int j = 0; j < w; j++) {
      int o = ci + j * cCs;
      for (int i = 0; i < mr; i++) {
        c[o + i * cRs] += tile[i * pw + j];
      }
    }
  }
}
