package org.metaopt.core.lopt;

import org.metaopt.core.kernel.FastMathLoops;

import org.metaopt.core.kernel.FastMath;

import org.metaopt.core.kernel.Simd;

import org.metaopt.core.kernel.SimdLoops;

import org.metaopt.core.kernel.Rows;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The SIMD form ({@code jdk.incubator.vector}) of {@link MlpLoptOptimizer}'s two passes over a block: the same float
 * operations in the same order as its plain loops, so the results are the same bits ({@code MlpLoptSimdTest}), but
 * one chunk of {@link #LANES} coordinates goes through all the features, the network and the step before the next
 * chunk starts. The plain loops need one pass over the block per feature, layer row and activation (~45 for the
 * shipped 4-unit network), because C2 stops auto-vectorizing a loop that reads more than about six arrays.
 *
 * <p>What made it fast (JDK 17 on AVX-512; figures in docs/benchmarks.md, "SIMD kernels"):
 * <ul>
 *   <li>Straight-line code for the shipped shape ({@link #block4}): features, the 44 multiply-adds and ReLU stay in
 *       registers, every weight is broadcast once before the loop. Loops over features or units inside the chunk
 *       loop ({@link #block}, the generic shapes) cost more scalar bookkeeping (row loads, bounds checks, loop
 *       control, spills) than vector work. {@link #momenta} takes the momenta in pairs.
 *   <li>No helper method takes or returns a vector, and every kernel method is larger than C2's inlining limit for
 *       hot methods (325 bytecodes): C2 stops inlining ordinary methods once a compilation's graph is large
 *       ("NodeCountInliningCutoff"; Vector API methods themselves are force-inlined), and a vector that crosses an
 *       out-of-line call is boxed on the heap. Kernels are methods over arrays, compiled alone.
 *   <li>In {@link #block4} and {@link #outputAndSteps}, ReLU and clamps as compare-and-blend (2 instructions)
 *       instead of {@code max}/{@code min}, which C2 expands to ~7 instructions for Java's NaN and signed-zero rules.
 *       With a nonzero bound the two agree on every input; ReLU(-0.0) stays -0.0 here where {@code Math.max(0, x)}
 *       gives +0.0 (a pre-activation is exactly -0.0 only when the bias and every product are), which cannot change
 *       a step.
 *   <li>The exp's {@code 2^k} from the bits of {@code k + 127 + MAGIC}, since C2 does not intrinsify the vector
 *       float-to-int conversion on JDK 17; exp in a short loop of its own so that its dependency chains overlap.
 *   <li>Gradient and parameters read in place (only a block's last, partial chunk goes through zero-padded copies;
 *       state lanes fed only zeros stay exactly 0, so the padding adds nothing to the sums).
 * </ul>
 *
 * <p>Its kernels are unrolled on purpose, so this class is exempt from the house limits of 400 lines per file and 80
 * lines per method.
 *
 * <p>Loaded only when {@link Simd#ENABLED}. Not thread-safe: one instance per optimizer.
 */
final class MlpLoptSimd {
  /** {@link SimdLoops#SPECIES}; {@link MlpLoptOptimizer#BLOCK} is a multiple of its length. */
  static final VectorSpecies<Float> SPECIES = SimdLoops.SPECIES;
  static final int LANES = SimdLoops.LANES;
  /** Hidden units of the shape {@link #block4} is written for. */
  static final int UNITS4 = 4;
  private static final int BLOCK = MlpLoptOptimizer.BLOCK;
  /** +0 lanes, never written: what a tensor's first block adds its lane sums onto ({@link #momenta}). */
  private static final float[] ZEROS = new float[BLOCK];
  private static final float LN2 = FastMathLoops.LN2;
  private static final float LOG2E = FastMathLoops.LOG2E;
  private static final float MAGIC = FastMathLoops.MAGIC;

  /** Features of the current chunk, {@code xs[f * LANES + lane]}. */
  private final float[] xs;
  /** Hidden activations of the current chunk, two layers' worth (input and output of a layer). */
  private final float[] hs;
  private final float[] hs2;
  /** The last hidden layer's activations over the block, {@code last[unit * BLOCK + i]}. */
  private final float[] last;

  MlpLoptSimd(int perCoordinate, int hidden) {
    this.xs = new float[perCoordinate * LANES];
    this.hs = new float[hidden * LANES];
    this.hs2 = new float[hidden * LANES];
    this.last = new float[hidden * BLOCK];
  }

  /**
   * Pass 1 over a block: the momenta {@code m[k]} at {@code decays[k]}, the second moment {@code v} (may be null)
   * and the lane sums of squares of g, p and the new momenta ({@code laneSq[0]}, {@code [1]}, {@code [2 + k]}):
   * on a tensor's {@code first} block added onto {@link #ZEROS} instead of onto the lanes (so the lanes need no
   * clearing between tensors), on the others onto the lanes. The choice is of the array read, not of a vector: a
   * vector chosen by a branch is the kind of merge after which C2 can lose the vector's exact class and fall back
   * to boxed vectors (docs/benchmarks.md "Session 9").
   */
  static void momenta(float[] g, float[] p, int off, float[][] m, float[] v, float[] decays, float beta2,
      float[][] laneSq, int from, int to, boolean first) {
    if (m.length % 2 != 0) {
      throw new IllegalArgumentException("the SIMD kernel takes the momenta in pairs, got " + m.length);
    }
    final float flush = FastMath.FLUSH;
    final float c2 = 1 - beta2;
    final float[] lg = laneSq[0];
    final float[] lp = laneSq[1];
    final float[] lgIn = first ? ZEROS : lg;
    final float[] lpIn = first ? ZEROS : lp;
    for (int i = from; i < to; i += LANES) {
      final FloatVector gv = FloatVector.fromArray(SPECIES, g, off + i);
      final FloatVector pv = FloatVector.fromArray(SPECIES, p, off + i);
      final FloatVector gg = gv.mul(gv);
      FloatVector.fromArray(SPECIES, lgIn, i).add(gg).intoArray(lg, i);
      FloatVector.fromArray(SPECIES, lpIn, i).add(pv.mul(pv)).intoArray(lp, i);
      for (int k = 0; k + 1 < m.length; k += 2) { // two momenta per pass (m.length is even: 6)
        final float d = decays[k];
        final float e = decays[k + 1];
        final float[] mk = m[k];
        final float[] mj = m[k + 1];
        final float[] l = laneSq[2 + k];
        final float[] lj = laneSq[3 + k];
        FloatVector mv = FloatVector.fromArray(SPECIES, mk, i).mul(d).add(gv.mul(1 - d)).add(flush).sub(flush);
        FloatVector nv = FloatVector.fromArray(SPECIES, mj, i).mul(e).add(gv.mul(1 - e)).add(flush).sub(flush);
        mv.intoArray(mk, i);
        nv.intoArray(mj, i);
        FloatVector.fromArray(SPECIES, first ? ZEROS : l, i).add(mv.mul(mv)).intoArray(l, i);
        FloatVector.fromArray(SPECIES, first ? ZEROS : lj, i).add(nv.mul(nv)).intoArray(lj, i);
      }
      if (v != null) {
        FloatVector.fromArray(SPECIES, v, i).mul(beta2).add(gg.mul(c2)).add(flush).sub(flush).intoArray(v, i);
      }
    }
  }

  /** Whether every entry of {@code a} is finite: a sum of {@code a * 0} (0 for finite entries, NaN otherwise). */
  static boolean allFinite(float[] a) {
    FloatVector acc0 = FloatVector.zero(SPECIES);
    FloatVector acc1 = acc0;
    FloatVector acc2 = acc0;
    FloatVector acc3 = acc0;
    FloatVector acc4 = acc0;
    FloatVector acc5 = acc0;
    FloatVector acc6 = acc0;
    FloatVector acc7 = acc0;
    final int bound8 = a.length - a.length % (8 * LANES);
    int i = 0;
    for (; i < bound8; i += 8 * LANES) { // eight independent sums; also keeps the method above the inlining limit
      acc0 = acc0.add(FloatVector.fromArray(SPECIES, a, i).mul(0f));
      acc1 = acc1.add(FloatVector.fromArray(SPECIES, a, i + LANES).mul(0f));
      acc2 = acc2.add(FloatVector.fromArray(SPECIES, a, i + 2 * LANES).mul(0f));
      acc3 = acc3.add(FloatVector.fromArray(SPECIES, a, i + 3 * LANES).mul(0f));
      acc4 = acc4.add(FloatVector.fromArray(SPECIES, a, i + 4 * LANES).mul(0f));
      acc5 = acc5.add(FloatVector.fromArray(SPECIES, a, i + 5 * LANES).mul(0f));
      acc6 = acc6.add(FloatVector.fromArray(SPECIES, a, i + 6 * LANES).mul(0f));
      acc7 = acc7.add(FloatVector.fromArray(SPECIES, a, i + 7 * LANES).mul(0f));
    }
    final int bound = SPECIES.loopBound(a.length);
    for (; i < bound; i += LANES) {
      acc0 = acc0.add(FloatVector.fromArray(SPECIES, a, i).mul(0f));
    }
    float tail = 0f;
    for (; i < a.length; i++) {
      tail += a[i] * 0f;
    }
    return acc0.add(acc1).add(acc2).add(acc3).add(acc4).add(acc5).add(acc6).add(acc7).reduceLanes(VectorOperators.ADD)
        + tail == 0f;
  }

  /**
   * The network's weights and scalings as {@link MlpLoptNetwork} keeps them (the same arrays, filled in place);
   * {@code stepMult[0]} is the current tensor's step multiplier.
   */
  record Net(float[] scale, int[] adamDecays, float[] adamScale, float[] bias0,
      float[][][] wRows, float[] theta, int[] bOff, float[][] outRows, int outB, float expMult, float[] stepMult) {}

  /**
   * Pass 2 over a block: features, MLP and step. {@code p} is overwritten with the new parameters; {@code v} is null
   * without the Adam features; {@code adamRsqrtScale} is the second moment's bias correction for this step.
   */
  void block(float[] g, float[] p, int off, float[][] m, float[] v, Net net, float adamRsqrtScale, int from,
      int to) {
    final float[] xs = this.xs;
    final float[] last = this.last;
    final float[] scale = net.scale;
    final int normalized = 2 + m.length;
    final int adam = v == null ? 0 : net.adamDecays.length;
    final float vs = adamRsqrtScale;
    final float[][][] w = net.wRows;
    final int layers = w.length;
    final int hidden = w[0].length;
    final int in0 = normalized + adam;
    for (int i = from; i < to; i += LANES) {
      final FloatVector gv = FloatVector.fromArray(SPECIES, g, off + i);
      final FloatVector pv = FloatVector.fromArray(SPECIES, p, off + i);
      gv.mul(scale[0]).intoArray(xs, 0);
      pv.mul(scale[1]).intoArray(xs, LANES);
      for (int k = 0; k < m.length; k++) {
        FloatVector.fromArray(SPECIES, m[k], i).mul(scale[2 + k]).intoArray(xs, (2 + k) * LANES);
      }
      if (adam > 0) { // m̂ / (sqrt(v̂) + 1e-8)
        FloatVector r = FloatVector.fromArray(SPECIES, v, i).mul(vs).lanewise(VectorOperators.SQRT).add(1e-8f);
        r = FloatVector.broadcast(SPECIES, 1f).div(r);
        for (int k = 0; k < adam; k++) {
          FloatVector.fromArray(SPECIES, m[net.adamDecays[k]], i).mul(net.adamScale[k]).mul(r)
              .intoArray(xs, (normalized + k) * LANES);
        }
      }
      float[] cur = hs;
      float[] nxt = hs2;
      layer(xs, in0, w[0], net.bias0, null, 0, cur);
      for (int l = 1; l < layers; l++) {
        layer(cur, hidden, w[l], null, net.theta, net.bOff[l], nxt);
        float[] tmp = cur;
        cur = nxt;
        nxt = tmp;
      }
      for (int k = 0; k < hidden; k++) {
        FloatVector.fromArray(SPECIES, cur, k * LANES).intoArray(last, k * BLOCK + i);
      }
    }
    outputAndSteps(p, off, net, hidden, from, to);
  }

  /**
   * {@link #block} for the shipped {@code mlp-lopt-h4} shape (one hidden layer of {@link #UNITS4} units, the Adam
   * features, so 11 per-coordinate inputs), written out as straight-line code: the generic loops over features and
   * units cost more scalar bookkeeping (row loads, bounds checks, loop control, spills) than vector work. Every
   * weight is broadcast once, before the loop; the per-chunk features never leave registers. Same operations in the
   * same order as {@link #block} (the multiply-add chain of each unit runs over the inputs in order).
   */
  void block4(float[] g, float[] p, int off, float[][] m, float[] v, Net net, float adamRsqrtScale, int from,
      int to) {
    final float[] sc = net.scale;
    final float[][] w = net.wRows[0];
    final float[] as = net.adamScale;
    final int[] ad = net.adamDecays;
    final float[] bias = net.bias0;
    final float[] last = this.last;
    final FloatVector vs = FloatVector.broadcast(SPECIES, adamRsqrtScale);
    final FloatVector eps = FloatVector.broadcast(SPECIES, 1e-8f);
    final FloatVector one = FloatVector.broadcast(SPECIES, 1f);
    final FloatVector zero = FloatVector.zero(SPECIES);
    final float[] m0 = m[0];
    final float[] m1 = m[1];
    final float[] m2 = m[2];
    final float[] m3 = m[3];
    final float[] m4 = m[4];
    final float[] m5 = m[5];
    final float[] a0 = m[ad[0]];
    final float[] a1 = m[ad[1]];
    final float[] a2 = m[ad[2]];
    final FloatVector s0 = FloatVector.broadcast(SPECIES, sc[0]);
    final FloatVector s1 = FloatVector.broadcast(SPECIES, sc[1]);
    final FloatVector s2 = FloatVector.broadcast(SPECIES, sc[2]);
    final FloatVector s3 = FloatVector.broadcast(SPECIES, sc[3]);
    final FloatVector s4 = FloatVector.broadcast(SPECIES, sc[4]);
    final FloatVector s5 = FloatVector.broadcast(SPECIES, sc[5]);
    final FloatVector s6 = FloatVector.broadcast(SPECIES, sc[6]);
    final FloatVector s7 = FloatVector.broadcast(SPECIES, sc[7]);
    final FloatVector as0 = FloatVector.broadcast(SPECIES, as[0]);
    final FloatVector as1 = FloatVector.broadcast(SPECIES, as[1]);
    final FloatVector as2 = FloatVector.broadcast(SPECIES, as[2]);
    final float[] w0 = w[0];
    final FloatVector b0 = FloatVector.broadcast(SPECIES, bias[0]);
    final FloatVector w0_0 = FloatVector.broadcast(SPECIES, w0[0]);
    final FloatVector w0_1 = FloatVector.broadcast(SPECIES, w0[1]);
    final FloatVector w0_2 = FloatVector.broadcast(SPECIES, w0[2]);
    final FloatVector w0_3 = FloatVector.broadcast(SPECIES, w0[3]);
    final FloatVector w0_4 = FloatVector.broadcast(SPECIES, w0[4]);
    final FloatVector w0_5 = FloatVector.broadcast(SPECIES, w0[5]);
    final FloatVector w0_6 = FloatVector.broadcast(SPECIES, w0[6]);
    final FloatVector w0_7 = FloatVector.broadcast(SPECIES, w0[7]);
    final FloatVector w0_8 = FloatVector.broadcast(SPECIES, w0[8]);
    final FloatVector w0_9 = FloatVector.broadcast(SPECIES, w0[9]);
    final FloatVector w0_10 = FloatVector.broadcast(SPECIES, w0[10]);
    final float[] w1 = w[1];
    final FloatVector b1 = FloatVector.broadcast(SPECIES, bias[1]);
    final FloatVector w1_0 = FloatVector.broadcast(SPECIES, w1[0]);
    final FloatVector w1_1 = FloatVector.broadcast(SPECIES, w1[1]);
    final FloatVector w1_2 = FloatVector.broadcast(SPECIES, w1[2]);
    final FloatVector w1_3 = FloatVector.broadcast(SPECIES, w1[3]);
    final FloatVector w1_4 = FloatVector.broadcast(SPECIES, w1[4]);
    final FloatVector w1_5 = FloatVector.broadcast(SPECIES, w1[5]);
    final FloatVector w1_6 = FloatVector.broadcast(SPECIES, w1[6]);
    final FloatVector w1_7 = FloatVector.broadcast(SPECIES, w1[7]);
    final FloatVector w1_8 = FloatVector.broadcast(SPECIES, w1[8]);
    final FloatVector w1_9 = FloatVector.broadcast(SPECIES, w1[9]);
    final FloatVector w1_10 = FloatVector.broadcast(SPECIES, w1[10]);
    final float[] w2 = w[2];
    final FloatVector b2 = FloatVector.broadcast(SPECIES, bias[2]);
    final FloatVector w2_0 = FloatVector.broadcast(SPECIES, w2[0]);
    final FloatVector w2_1 = FloatVector.broadcast(SPECIES, w2[1]);
    final FloatVector w2_2 = FloatVector.broadcast(SPECIES, w2[2]);
    final FloatVector w2_3 = FloatVector.broadcast(SPECIES, w2[3]);
    final FloatVector w2_4 = FloatVector.broadcast(SPECIES, w2[4]);
    final FloatVector w2_5 = FloatVector.broadcast(SPECIES, w2[5]);
    final FloatVector w2_6 = FloatVector.broadcast(SPECIES, w2[6]);
    final FloatVector w2_7 = FloatVector.broadcast(SPECIES, w2[7]);
    final FloatVector w2_8 = FloatVector.broadcast(SPECIES, w2[8]);
    final FloatVector w2_9 = FloatVector.broadcast(SPECIES, w2[9]);
    final FloatVector w2_10 = FloatVector.broadcast(SPECIES, w2[10]);
    final float[] w3 = w[3];
    final FloatVector b3 = FloatVector.broadcast(SPECIES, bias[3]);
    final FloatVector w3_0 = FloatVector.broadcast(SPECIES, w3[0]);
    final FloatVector w3_1 = FloatVector.broadcast(SPECIES, w3[1]);
    final FloatVector w3_2 = FloatVector.broadcast(SPECIES, w3[2]);
    final FloatVector w3_3 = FloatVector.broadcast(SPECIES, w3[3]);
    final FloatVector w3_4 = FloatVector.broadcast(SPECIES, w3[4]);
    final FloatVector w3_5 = FloatVector.broadcast(SPECIES, w3[5]);
    final FloatVector w3_6 = FloatVector.broadcast(SPECIES, w3[6]);
    final FloatVector w3_7 = FloatVector.broadcast(SPECIES, w3[7]);
    final FloatVector w3_8 = FloatVector.broadcast(SPECIES, w3[8]);
    final FloatVector w3_9 = FloatVector.broadcast(SPECIES, w3[9]);
    final FloatVector w3_10 = FloatVector.broadcast(SPECIES, w3[10]);
    for (int i = from; i < to; i += LANES) {
      final FloatVector x0 = FloatVector.fromArray(SPECIES, g, off + i).mul(s0);
      final FloatVector x1 = FloatVector.fromArray(SPECIES, p, off + i).mul(s1);
      final FloatVector x2 = FloatVector.fromArray(SPECIES, m0, i).mul(s2);
      final FloatVector x3 = FloatVector.fromArray(SPECIES, m1, i).mul(s3);
      final FloatVector x4 = FloatVector.fromArray(SPECIES, m2, i).mul(s4);
      final FloatVector x5 = FloatVector.fromArray(SPECIES, m3, i).mul(s5);
      final FloatVector x6 = FloatVector.fromArray(SPECIES, m4, i).mul(s6);
      final FloatVector x7 = FloatVector.fromArray(SPECIES, m5, i).mul(s7);
      final FloatVector r =
          one.div(FloatVector.fromArray(SPECIES, v, i).mul(vs).lanewise(VectorOperators.SQRT).add(eps));
      final FloatVector x8 = FloatVector.fromArray(SPECIES, a0, i).mul(as0).mul(r);
      final FloatVector x9 = FloatVector.fromArray(SPECIES, a1, i).mul(as1).mul(r);
      final FloatVector x10 = FloatVector.fromArray(SPECIES, a2, i).mul(as2).mul(r);
      FloatVector h0 = x0.fma(w0_0, b0);
      h0 = x1.fma(w0_1, h0);
      h0 = x2.fma(w0_2, h0);
      h0 = x3.fma(w0_3, h0);
      h0 = x4.fma(w0_4, h0);
      h0 = x5.fma(w0_5, h0);
      h0 = x6.fma(w0_6, h0);
      h0 = x7.fma(w0_7, h0);
      h0 = x8.fma(w0_8, h0);
      h0 = x9.fma(w0_9, h0);
      h0 = x10.fma(w0_10, h0);
      h0 = h0.blend(zero, h0.compare(VectorOperators.LT, 0f)); // ReLU
      FloatVector h1 = x0.fma(w1_0, b1);
      h1 = x1.fma(w1_1, h1);
      h1 = x2.fma(w1_2, h1);
      h1 = x3.fma(w1_3, h1);
      h1 = x4.fma(w1_4, h1);
      h1 = x5.fma(w1_5, h1);
      h1 = x6.fma(w1_6, h1);
      h1 = x7.fma(w1_7, h1);
      h1 = x8.fma(w1_8, h1);
      h1 = x9.fma(w1_9, h1);
      h1 = x10.fma(w1_10, h1);
      h1 = h1.blend(zero, h1.compare(VectorOperators.LT, 0f)); // ReLU
      FloatVector h2 = x0.fma(w2_0, b2);
      h2 = x1.fma(w2_1, h2);
      h2 = x2.fma(w2_2, h2);
      h2 = x3.fma(w2_3, h2);
      h2 = x4.fma(w2_4, h2);
      h2 = x5.fma(w2_5, h2);
      h2 = x6.fma(w2_6, h2);
      h2 = x7.fma(w2_7, h2);
      h2 = x8.fma(w2_8, h2);
      h2 = x9.fma(w2_9, h2);
      h2 = x10.fma(w2_10, h2);
      h2 = h2.blend(zero, h2.compare(VectorOperators.LT, 0f)); // ReLU
      FloatVector h3 = x0.fma(w3_0, b3);
      h3 = x1.fma(w3_1, h3);
      h3 = x2.fma(w3_2, h3);
      h3 = x3.fma(w3_3, h3);
      h3 = x4.fma(w3_4, h3);
      h3 = x5.fma(w3_5, h3);
      h3 = x6.fma(w3_6, h3);
      h3 = x7.fma(w3_7, h3);
      h3 = x8.fma(w3_8, h3);
      h3 = x9.fma(w3_9, h3);
      h3 = x10.fma(w3_10, h3);
      h3 = h3.blend(zero, h3.compare(VectorOperators.LT, 0f)); // ReLU
      h0.intoArray(last, i);
      h1.intoArray(last, BLOCK + i);
      h2.intoArray(last, 2 * BLOCK + i);
      h3.intoArray(last, 3 * BLOCK + i);
    }
    outputAndSteps(p, off, net, UNITS4, from, to);
  }

  /**
   * One dense layer with ReLU on the chunk: {@code out[j] = max(0, b_j + sum_k w[j][k] in[k])}, the multiply-adds
   * in the order of {@link Rows#row}. The bias is {@code bias[j]} or, when {@code bias} is null,
   * {@code theta[bOff + j]}.
   */
  private static void layer(float[] in, int inputs, float[][] w, float[] bias, float[] theta, int bOff,
      float[] out) {
    final int units = w.length;
    int j = 0;
    for (; j + 4 <= units; j += 4) { // four independent chains: fma latency, not throughput, bounds one chain
      final float[] w0 = w[j];
      final float[] w1 = w[j + 1];
      final float[] w2 = w[j + 2];
      final float[] w3 = w[j + 3];
      FloatVector a0 = FloatVector.broadcast(SPECIES, bias != null ? bias[j] : theta[bOff + j]);
      FloatVector a1 = FloatVector.broadcast(SPECIES, bias != null ? bias[j + 1] : theta[bOff + j + 1]);
      FloatVector a2 = FloatVector.broadcast(SPECIES, bias != null ? bias[j + 2] : theta[bOff + j + 2]);
      FloatVector a3 = FloatVector.broadcast(SPECIES, bias != null ? bias[j + 3] : theta[bOff + j + 3]);
      for (int k = 0; k < inputs; k++) {
        FloatVector x = FloatVector.fromArray(SPECIES, in, k * LANES);
        a0 = x.fma(FloatVector.broadcast(SPECIES, w0[k]), a0);
        a1 = x.fma(FloatVector.broadcast(SPECIES, w1[k]), a1);
        a2 = x.fma(FloatVector.broadcast(SPECIES, w2[k]), a2);
        a3 = x.fma(FloatVector.broadcast(SPECIES, w3[k]), a3);
      }
      a0.max(0f).intoArray(out, j * LANES);
      a1.max(0f).intoArray(out, (j + 1) * LANES);
      a2.max(0f).intoArray(out, (j + 2) * LANES);
      a3.max(0f).intoArray(out, (j + 3) * LANES);
    }
    for (; j < units; j++) {
      final float[] wj = w[j];
      FloatVector acc = FloatVector.broadcast(SPECIES, bias != null ? bias[j] : theta[bOff + j]);
      for (int k = 0; k < inputs; k++) {
        acc = FloatVector.fromArray(SPECIES, in, k * LANES).fma(FloatVector.broadcast(SPECIES, wj[k]), acc);
      }
      acc.max(0f).intoArray(out, j * LANES);
    }
  }

  /**
   * The output layer and the step over chunks {@code [from, to)} of the block: {@code dir} and {@code mag} from the
   * last hidden rows ({@link #last}, multiply-add chains in input order as {@link Rows#row}), then
   * {@code p -= dir * exp(clamp(mag * expMult, ±60)) * stepMult}. A loop of its own, because exp is one long
   * dependency chain per chunk that out-of-order execution overlaps across the iterations of a short loop, and a
   * method of its own on purpose: it is larger than C2's inlining limit for hot methods (325 bytecodes), so it is
   * always compiled alone. Inlined into a large kernel it ran out of C2's node budget there, the Vector API calls it
   * holds were left out-of-line and their vectors boxed (48 bytes allocated per coordinate at 1e6 parameters; one
   * store here is still boxed at that size, 6 bytes per coordinate, for reasons not understood: docs/benchmarks.md).
   * {@link FastMathLoops#exp}, operation for operation, written out ({@code 2^k}: {@code k + 127 + MAGIC} has the
   * bits {@code MAGIC_BITS + (k + 127)}, and shifting them left by 23 drops {@code MAGIC_BITS}, whose low 9 bits are
   * 0: C2 does not intrinsify the vector float-to-int conversion on JDK 17; exp's own [-80, 80] clamp changes nothing
   * on [-60, 60] and is left out). The clamps are compare-and-blend, the same as {@code Math.min}/{@code max} with a
   * nonzero bound on every input.
   */
  private void outputAndSteps(float[] p, int off, Net net, int hidden, int from, int to) {
    final float[] last = this.last;
    final float[] w0 = net.outRows[0];
    final float[] w1 = net.outRows[1];
    final float b0 = net.theta[net.outB];
    final float b1 = net.theta[net.outB + 1];
    final float em = net.expMult;
    final float sm = net.stepMult[0];
    for (int i = from; i < to; i += LANES) {
      FloatVector dir = FloatVector.broadcast(SPECIES, b0);
      FloatVector mag = FloatVector.broadcast(SPECIES, b1);
      for (int k = 0; k < hidden; k++) {
        FloatVector h = FloatVector.fromArray(SPECIES, last, k * BLOCK + i);
        dir = h.fma(FloatVector.broadcast(SPECIES, w0[k]), dir);
        mag = h.fma(FloatVector.broadcast(SPECIES, w1[k]), mag);
      }
      mag = mag.mul(em);
      mag = mag.blend(60f, mag.compare(VectorOperators.GT, 60f)).blend(-60f, mag.compare(VectorOperators.LT, -60f));
      FloatVector y = mag.mul(LOG2E);
      FloatVector t = y.add(128f);
      FloatVector r = t.add(MAGIC).sub(MAGIC);
      FloatVector k = r.sub(r.sub(t).add(0.5f).add(MAGIC).sub(MAGIC)).sub(128f);
      FloatVector f = y.sub(k).mul(LN2);
      FloatVector q = f.mul(1f / 720f).add(1f / 120f);
      q = f.mul(q).add(1f / 24f);
      q = f.mul(q).add(1f / 6f);
      q = f.mul(q).add(0.5f);
      q = f.mul(q).add(1f);
      q = f.mul(q).add(1f);
      FloatVector e = q.mul(k.add(127f + MAGIC).reinterpretAsInts().lanewise(VectorOperators.LSHL, 23)
          .reinterpretAsFloats());
      FloatVector.fromArray(SPECIES, p, off + i).sub(dir.mul(e).mul(sm)).intoArray(p, off + i);
    }
  }
}
