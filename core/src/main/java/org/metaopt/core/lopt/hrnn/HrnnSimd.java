package org.metaopt.core.lopt.hrnn;

import static org.metaopt.core.lopt.hrnn.HrnnTheta.F;
import static org.metaopt.core.lopt.hrnn.HrnnTheta.SCALES;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.metaopt.core.kernel.FastMath;
import org.metaopt.core.kernel.FastMathLoops;
import org.metaopt.core.kernel.SimdLoops;

/**
 * The SIMD form ({@code jdk.incubator.vector}) of {@link ParamBlockKernel#block}: features, parameter GRU and
 * readouts with the same float operations in the same order as its plain loops ({@link BlockFeatures},
 * {@link org.metaopt.core.kernel.Rows}, {@link FastMathLoops}), so the same bits ({@code HrnnSimdTest}), faster.
 *
 * <p>What it does differently from running the plain loops' passes on SIMD (docs/benchmarks.md, "The hierarchical
 * RNN's fused kernel", has the measurements):
 * <ul>
 *   <li>The gates' and candidate's tanh on the magnitude: the argument clamped and the result capped at 1 by integer
 *       {@code min} (non-negative floats order as their bits), the sign put back with two bit operations, the Padé
 *       polynomials as fused multiply-adds ({@link FastMathLoops#gruTanh}), and the gates' halving folded into
 *       their weights: far fewer instructions per activation, the largest single gain.
 *   <li>The state (GRU states, averages, mean squares, log learning rates, raw directions, step sizes) is read and
 *       written in place, one chunk of {@link #LANES} at a time, instead of copied into and out of block rows: the
 *       stepper pads every tensor's state to whole {@link ParamBlockKernel#PAD}s, so a chunk never reaches into the
 *       next tensor's state. Only a tensor's last, partial chunk reads its gradient through a zero-padded copy; its
 *       padding lanes compute on zeros and are left out of the tensor sums.
 *   <li>Each elementwise stage is a few short passes over a sub-block's chunks, instead of one C2-vectorized loop
 *       per feature or row with its scalar pre- and post-loop; the matrix rows are {@link SimdLoops#rows}.
 * </ul>
 * Every stage method takes and returns no vector, so that no vector is boxed across a call ({@link SimdLoops}).
 * Writing the features' four timescales out as straight-line code (one very large method) made C1 give up ("out of
 * virtual registers") and the method ran without intrinsics, many times slower: keep the kernels as loops over
 * chunks.
 *
 * <p>Its kernels are unrolled on purpose (each stage's vector code written out inside its loop over chunks), so this
 * class is exempt from the house limits of 400 lines per file and 80 lines per method.
 *
 * <p>Loaded only when {@link org.metaopt.core.kernel.Simd#ENABLED}. Not thread-safe: one instance per
 * {@link ParamBlockKernel}.
 */
final class HrnnSimd {
  static final VectorSpecies<Float> SPECIES = SimdLoops.SPECIES;
  static final int LANES = SimdLoops.LANES;
  /**
   * Coordinates per sub-block: a multiple of {@link #LANES} and a divisor of {@link ParamBlockKernel#BLOCK}. The size
   * matters little between 64 and 512 (figures: docs/benchmarks.md).
   */
  static final int SUB = 128;
  private static final float FLUSH = FastMath.FLUSH;
  private static final float LN2 = FastMathLoops.LN2;
  private static final float LOG2E = FastMathLoops.LOG2E;
  private static final float MAGIC = FastMathLoops.MAGIC;
  private static final int MAGIC_BITS = FastMathLoops.MAGIC_BITS;
  private static final float[] IOTA = new float[LANES];
  private static final int ONE_BITS = Float.floatToRawIntBits(1f);
  private static final int SIGN_BIT = 0x80000000;

  static {
    for (int l = 0; l < LANES; l++) {
      IOTA[l] = l;
    }
  }

  private final int p;
  /** Inputs of the gate rows {@code [x, h]}, {@link #SUB} lanes each; the features also feed the candidate rows. */
  private final float[][] gateIn;
  /** Inputs of the candidate rows {@code [x, r * h]} (the feature rows are {@link #gateIn}'s). */
  private final float[][] candIn;
  /** Pre-activations and gates: rows [0, p) reset, [p, 2p) update, [2p, 3p) candidate. */
  private final float[][] acc;
  /** A tensor's last, partial chunk of gradient, zero-padded. */
  private final float[] gTail = new float[LANES];
  /** The sub-block's sanitized gradients, and per scale its mean squares plus eps and asinh ratios. */
  private final float[] gs = new float[SUB];
  private final float[][] meS = new float[SCALES][SUB];
  private final float[][] svS = new float[SCALES][SUB];

  // shared with the ParamBlockKernel (weights are repacked there in place) and its stepper (state)
  private final float[][] packed;
  private final float[] dirW;
  private final float[] attW;
  private final float[] lrW;
  private final float[][] laneSums;
  private final float[][] h;
  private final float[][] avg;
  private final float[][] ms;
  private final float[] logLr;
  private final float[] dRaw;
  private final float[] stepSize;
  private final float[] aRaw;

  HrnnSimd(int p, float[][] packed, float[] dirW, float[] attW, float[] lrW, float[][] laneSums, float[][] h,
      float[][] avg, float[][] ms, float[] logLr, float[] dRaw, float[] stepSize, float[] aRaw) {
    if (!fits() || ParamBlockKernel.BLOCK % SUB != 0 || SUB % LANES != 0) {
      throw new IllegalStateException("the state padding " + ParamBlockKernel.PAD + ", the sub-block " + SUB
          + " and the block " + ParamBlockKernel.BLOCK + " must be whole multiples of " + LANES
          + " lanes and of each other");
    }
    this.p = p;
    this.gateIn = new float[F + p][SUB];
    this.candIn = new float[F + p][];
    for (int k = 0; k < F; k++) {
      candIn[k] = gateIn[k];
    }
    for (int k = 0; k < p; k++) {
      candIn[F + k] = new float[SUB];
    }
    this.acc = new float[3 * p][SUB];
    this.packed = packed;
    this.dirW = dirW;
    this.attW = attW;
    this.lrW = lrW;
    this.laneSums = laneSums;
    this.h = h;
    this.avg = avg;
    this.ms = ms;
    this.logLr = logLr;
    this.dRaw = dRaw;
    this.stepSize = stepSize;
    this.aRaw = aRaw;
  }

  /** Whether the machine's vectors fit the state padding (always on x86: 4, 8 or 16 floats). */
  static boolean fits() {
    return ParamBlockKernel.PAD % LANES == 0;
  }

  /**
   * {@link ParamBlockKernel#block}: gradient {@code [gradStart, gradStart + len)}, state
   * {@code [start, start + len)} (padded to whole chunks by the stepper).
   */
  void block(float[] grad, int gradStart, int start, int len, float[] avgDecay, float[] msDecay, float meanLogLr,
      float[] bias, float lrMomentum, float c, float lrBias) {
    for (int o = 0; o < len; o += SUB) {
      final int valid = Math.min(SUB, len - o);
      final int n = SimdLoops.padded(valid);
      features(grad, gradStart + o, start + o, o, valid, n, avgDecay, msDecay, meanLogLr);
      SimdLoops.rows(gateIn, packed, bias, acc, 0, 2 * p, n);
      gates(n);
      SimdLoops.rows(candIn, packed, bias, acc, 2 * p, 3 * p, n);
      candidate(start + o, o, valid, n);
      readouts(start + o, o, valid, n, lrMomentum, c, lrBias);
    }
  }

  /**
   * {@link BlockFeatures#compute} for the chunks of one sub-block: updates the averages and mean squares in place,
   * writes the 12 features and the old GRU states into {@link #gateIn} and adds the features to the lane sums.
   *
   * <p>In short passes over the sub-block, each over every scale and chunk: the gradients, then the averages with
   * the ratios {@code s} of the asinh feature, then its series, then the logs, then the rest. Each scale's features
   * are one long dependency chain (square roots, divisions, a 14-term Horner chain); in one loop body per chunk, the
   * out-of-order window held little more than one chain at a time, while short loop bodies let it overlap several
   * iterations (figures: docs/benchmarks.md).
   */
  private void features(float[] grad, int gOff, int sOff, int lo, int valid, int n, float[] avgDecay,
      float[] msDecay, float meanLogLr) {
    // Three pass methods, each compiled alone (above the 325-bytecode inlining limit). With narrow-layer SIMD
    // products and a SIMD ReLU backward pass in the JVM (tried, not kept: docs/benchmarks.md "Session 9"), C2 failed
    // to intrinsify stores ("VectorSupport::store failed to inline (intrinsic)") in the single method this was, in
    // about half the TrainingStepBench forks, and the whole step ran at ~28 ms instead of ~6.3.
    final boolean beyond = gradientsAndAverages(grad, gOff, sOff, valid, n, avgDecay, msDecay);
    seriesAndLogs(n);
    if (beyond) {
      asinhBeyond(sOff, n);
    }
    rest(sOff, lo, valid, n, meanLogLr);
  }

  /**
   * The sub-block's gradients into {@link #gs} (NaN and ±Inf count as 0, then clamped), then the averages and mean
   * squares, updated in place, with the ratios {@code s = a / (sqrt(m) + sqrt(m + a^2))} into {@link #svS}; whether
   * any lane is beyond asinhRatio's range. (Each pass method is above C2's 325-bytecode limit for inlining hot
   * methods, so it is compiled alone, as {@link SimdLoops} explains.)
   */
  private boolean gradientsAndAverages(float[] grad, int gOff, int sOff, int valid, int n, float[] avgDecay,
      float[] msDecay) {
    final float clamp = ParamBlockKernel.GRAD_CLAMP;
    for (int i = 0; i < n; i += LANES) { // gradients: NaN and ±Inf count as 0, then clamped
      FloatVector g;
      if (valid - i >= LANES) {
        g = FloatVector.fromArray(SPECIES, grad, gOff + i);
      } else {
        java.util.Arrays.fill(gTail, 0f);
        System.arraycopy(grad, gOff + i, gTail, 0, valid - i);
        g = FloatVector.fromArray(SPECIES, gTail, 0);
      }
      g = g.blend(0f, g.compare(VectorOperators.NE, g));
      g = g.blend(0f, g.abs().compare(VectorOperators.GT, Float.MAX_VALUE));
      g.blend(clamp, g.compare(VectorOperators.GT, clamp)).blend(-clamp, g.compare(VectorOperators.LT, -clamp))
          .intoArray(gs, i);
    }
    final float limit2 = FastMathLoops.ASINH_S_LIMIT * FastMathLoops.ASINH_S_LIMIT;
    boolean beyond = false; // a boolean, not a mask carried through the loop: C2 boxed that one on every chunk
    for (int s = 0; s < SCALES; s++) { // averages, mean squares and the ratio s = a / (sqrt(m) + sqrt(m + a^2))
      final float b = avgDecay[s];
      final float r = msDecay[s];
      final float kb = 1f - b;
      final float kr = 1f - r;
      final float[] as = avg[s];
      final float[] mss = ms[s];
      final float[] mes = meS[s];
      final float[] svs = svS[s];
      for (int i = 0; i < n; i += LANES) {
        final int si = sOff + i;
        final FloatVector g = FloatVector.fromArray(SPECIES, gs, i);
        final FloatVector av = FloatVector.fromArray(SPECIES, as, si).mul(b).add(g.mul(kb)).add(FLUSH).sub(FLUSH);
        final FloatVector mv = FloatVector.fromArray(SPECIES, mss, si).mul(r).add(g.mul(g).mul(kr)).add(FLUSH)
            .sub(FLUSH);
        av.intoArray(as, si);
        mv.intoArray(mss, si);
        final FloatVector me = mv.add(ParamBlockKernel.MS_EPS);
        me.intoArray(mes, i);
        final FloatVector sv = av.div(me.lanewise(VectorOperators.SQRT)
            .add(av.fma(av, me).lanewise(VectorOperators.SQRT)));
        sv.intoArray(svs, i);
        if (sv.mul(sv).compare(VectorOperators.GT, limit2).anyTrue()) {
          beyond = true;
        }
      }
    }
    return beyond;
  }

  /**
   * {@code asinh(a / sqrt(m)) = 2 atanh(s)} into the first {@link HrnnTheta#SCALES} feature rows (as
   * FastMathLoops.asinhRatio), then {@code log(m + eps)} into the log-mean-square rows (as FastMathLoops.log: exponent
   * split, atanh series).
   */
  private void seriesAndLogs(int n) {
    final float[][] in = gateIn;
    final float floor = FastMathLoops.S_FLOOR;
    for (int s = 0; s < SCALES; s++) { // asinh(a / sqrt(m)) = 2 atanh(s), as FastMathLoops.asinhRatio
      final float[] svs = svS[s];
      final float[] xs = in[s];
      for (int i = 0; i < n; i += LANES) {
        final FloatVector sv = FloatVector.fromArray(SPECIES, svs, i);
        FloatVector sa = sv.abs();
        sa = sa.blend(floor, sa.compare(VectorOperators.LT, floor));
        final FloatVector s2 = sa.mul(sa);
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
        sv.mul(2f).mul(q.fma(s2, FloatVector.broadcast(SPECIES, 1f))).intoArray(xs, i);
      }
    }
    for (int s = 0; s < SCALES; s++) { // log(m + eps), as FastMathLoops.log: exponent split, atanh series
      final float[] mes = meS[s];
      final float[] lm = in[2 * SCALES - 1 + s];
      for (int i = 0; i < n; i += LANES) {
        final IntVector bits = FloatVector.fromArray(SPECIES, mes, i).reinterpretAsInts();
        final IntVector e = bits.sub(0x3f3504f3).lanewise(VectorOperators.ASHR, 23);
        final FloatVector mant = bits.sub(e.lanewise(VectorOperators.LSHL, 23)).reinterpretAsFloats();
        final FloatVector ef = e.add(MAGIC_BITS).reinterpretAsFloats().sub(MAGIC);
        final FloatVector u = mant.sub(1f).div(mant.add(1f));
        final FloatVector u2 = u.mul(u);
        FloatVector series = u2.mul(1f / 9f).add(1f / 7f).mul(u2).add(1f / 5f).mul(u2).add(1f / 3f).mul(u2).add(1f);
        series = u.mul(2f).mul(series);
        ef.mul(LN2).add(series).intoArray(lm, i);
      }
    }
  }

  /**
   * The rest of the features (log mean squares centred over the scales, products of neighbouring scaled averages,
   * the relative log learning rate), the old GRU states into {@link #gateIn}, and the features' lane sums.
   */
  private void rest(int sOff, int lo, int valid, int n, float meanLogLr) {
    final float[][] in = gateIn;
    final FloatVector iota = FloatVector.fromArray(SPECIES, IOTA, 0);
    final float pf = BlockFeatures.PRODUCT_FLUSH;
    for (int i = 0; i < n; i += LANES) {
      final int si = sOff + i;
      // log mean squares centred over the scales
      FloatVector mean = FloatVector.zero(SPECIES);
      for (int s = 0; s < SCALES; s++) {
        mean = mean.add(FloatVector.fromArray(SPECIES, in[2 * SCALES - 1 + s], i).mul(1f / SCALES));
      }
      for (int s = 0; s < SCALES; s++) {
        final float[] lm = in[2 * SCALES - 1 + s];
        FloatVector.fromArray(SPECIES, lm, i).sub(mean).intoArray(lm, i);
      }
      // products of neighbouring scaled averages; factors below 2^-64 count as 0
      FloatVector f0 = FloatVector.fromArray(SPECIES, in[0], i).add(pf).sub(pf);
      for (int s = 0; s < SCALES - 1; s++) {
        final FloatVector f1 = FloatVector.fromArray(SPECIES, in[s + 1], i).add(pf).sub(pf);
        f0.mul(f1).add(FLUSH).sub(FLUSH).intoArray(in[SCALES + s], i);
        f0 = f1;
      }
      FloatVector.fromArray(SPECIES, logLr, si).sub(meanLogLr).intoArray(in[F - 1], i);
      for (int k = 0; k < p; k++) {
        FloatVector.fromArray(SPECIES, h[k], si).intoArray(in[F + k], i);
      }
      final VectorMask<Float> pad = iota.compare(VectorOperators.GE, (float) (valid - i)); // padding lanes
      for (int k = 0; k < F; k++) {
        final float[] sum = laneSums[p + k];
        FloatVector.fromArray(SPECIES, sum, lo + i).add(FloatVector.fromArray(SPECIES, in[k], i).blend(0f, pad))
            .intoArray(sum, lo + i);
      }
    }
  }

  /**
   * The lanes of the sub-block whose scaled average is beyond asinhRatio's range: asinh by {@link FastMath#asinh},
   * as {@link BlockFeatures}.
   */
  private void asinhBeyond(int sOff, int n) {
    final float lim = ParamBlockKernel.SCALED_CLAMP;
    for (int s = 0; s < SCALES; s++) {
      final float[] xs = gateIn[s];
      for (int i = 0; i < n; i++) {
        float z = avg[s][sOff + i] / (float) Math.sqrt(meS[s][i]);
        if (Math.abs(z) > FastMathLoops.ASINH_RATIO_LIMIT) {
          xs[i] = FastMath.asinh(Math.max(-lim, Math.min(lim, z)));
        }
      }
    }
  }

  /**
   * The gates: {@code sigmoid(2 v) = (1 + tanh(v)) / 2} of the halved rows [0, 2p) (as
   * {@link FastMathLoops#gruSigmoidOfHalf}), the reset-gated old state {@code r * h} into {@link #candIn}, the update
   * gates in place.
   */
  private void gates(int n) {
    final int cBits = Float.floatToRawIntBits(FastMath.TANH_CLAMP);
    final FloatVector p0 = FloatVector.broadcast(SPECIES, FastMath.TANH_P0); // the Pade form's coefficients
    final FloatVector p1 = FloatVector.broadcast(SPECIES, FastMath.TANH_P1);
    final FloatVector p2 = FloatVector.broadcast(SPECIES, FastMath.TANH_P2);
    final FloatVector q1 = FloatVector.broadcast(SPECIES, FastMath.TANH_Q1);
    final FloatVector q2 = FloatVector.broadcast(SPECIES, FastMath.TANH_Q2);
    for (int i = 0; i < n; i += LANES) {
      for (int j = 0; j < 2 * p; j++) {
        final float[] row = acc[j];
        final FloatVector v = FloatVector.fromArray(SPECIES, row, i); // halved: sigmoid(2v) = (1 + tanh(v)) / 2
        // tanh on the magnitude (clamped by integer min: non-negative floats order as their bits), sign restored
        final FloatVector a = v.abs().reinterpretAsInts().min(cBits).reinterpretAsFloats();
        final FloatVector x2 = a.mul(a);
        final FloatVector pn = x2.add(FastMath.TANH_P3).fma(x2, p2).fma(x2, p1).fma(x2, p0).mul(a);
        final FloatVector qd = x2.fma(FastMath.TANH_Q4, FastMath.TANH_Q3).fma(x2, q2).fma(x2, q1).fma(x2, p0);
        final FloatVector t = pn.div(qd).reinterpretAsInts().min(ONE_BITS)
            .or(v.reinterpretAsInts().and(SIGN_BIT)).reinterpretAsFloats();
        final FloatVector gate = t.fma(0.5f, 0.5f);
        if (j < p) {
          FloatVector.fromArray(SPECIES, gateIn[F + j], i).mul(gate).add(FLUSH).sub(FLUSH)
              .intoArray(candIn[F + j], i);
        } else {
          gate.intoArray(row, i);
        }
      }
    }
  }

  /**
   * The candidate (tanh of rows [2p, 3p), as {@link FastMathLoops#gruTanh}) and the new state
   * {@code u h + (1 - u) c}, written to the stepper's state (where the readouts read it) and added to the lane sums.
   */
  private void candidate(int sOff, int lo, int valid, int n) {
    final FloatVector iota = FloatVector.fromArray(SPECIES, IOTA, 0);
    final int cBits = Float.floatToRawIntBits(FastMath.TANH_CLAMP);
    final FloatVector one = FloatVector.broadcast(SPECIES, 1f);
    final FloatVector p0 = FloatVector.broadcast(SPECIES, FastMath.TANH_P0); // the Pade form's coefficients
    final FloatVector p1 = FloatVector.broadcast(SPECIES, FastMath.TANH_P1);
    final FloatVector p2 = FloatVector.broadcast(SPECIES, FastMath.TANH_P2);
    final FloatVector q1 = FloatVector.broadcast(SPECIES, FastMath.TANH_Q1);
    final FloatVector q2 = FloatVector.broadcast(SPECIES, FastMath.TANH_Q2);
    for (int i = 0; i < n; i += LANES) {
      final VectorMask<Float> pad = iota.compare(VectorOperators.GE, (float) (valid - i)); // padding lanes
      for (int j = 0; j < p; j++) {
        final FloatVector v = FloatVector.fromArray(SPECIES, acc[2 * p + j], i);
        // tanh on the magnitude (clamped by integer min: non-negative floats order as their bits), sign restored
        final FloatVector a = v.abs().reinterpretAsInts().min(cBits).reinterpretAsFloats();
        final FloatVector x2 = a.mul(a);
        final FloatVector pn = x2.add(FastMath.TANH_P3).fma(x2, p2).fma(x2, p1).fma(x2, p0).mul(a);
        final FloatVector qd = x2.fma(FastMath.TANH_Q4, FastMath.TANH_Q3).fma(x2, q2).fma(x2, q1).fma(x2, p0);
        final FloatVector t = pn.div(qd).reinterpretAsInts().min(ONE_BITS)
            .or(v.reinterpretAsInts().and(SIGN_BIT)).reinterpretAsFloats();
        final FloatVector u = FloatVector.fromArray(SPECIES, acc[p + j], i);
        final FloatVector ho = FloatVector.fromArray(SPECIES, gateIn[F + j], i);
        final FloatVector hv = u.mul(ho).add(one.sub(u).mul(t)).add(FLUSH).sub(FLUSH);
        hv.intoArray(h[j], sOff + i);
        final float[] sum = laneSums[j];
        FloatVector.fromArray(SPECIES, sum, lo + i).add(hv.blend(0f, pad)).intoArray(sum, lo + i);
      }
    }
  }

  /**
   * The readouts, as {@link ParamBlockKernel}'s: direction (and attention) from {@code [h', x_0..x_3]}, the new
   * log learning rate and the step size {@code exp(s + c)} ({@link FastMathLoops#exp} operation for operation;
   * {@code 2^k} from the bits of {@code k + 127 + MAGIC}), with their lane sums.
   */
  private void readouts(int sOff, int lo, int valid, int n, float lrMomentum, float c, float lrBias) {
    final FloatVector iota = FloatVector.fromArray(SPECIES, IOTA, 0);
    final float keep = lrMomentum;
    final float move = 1f - lrMomentum;
    final float maxLr = ParamBlockKernel.MAX_LOG_LR;
    final float[] d2 = laneSums[p + F];
    final float[] lrSum = laneSums[p + F + 1];
    final boolean attend = aRaw != null;
    for (int i = 0; i < n; i += LANES) {
      final int si = sOff + i;
      final VectorMask<Float> pad = iota.compare(VectorOperators.GE, (float) (valid - i)); // padding lanes
      FloatVector dir = FloatVector.zero(SPECIES);
      FloatVector delta = FloatVector.broadcast(SPECIES, lrBias);
      for (int k = 0; k < p; k++) {
        final FloatVector hk = FloatVector.fromArray(SPECIES, h[k], si);
        dir = hk.fma(FloatVector.broadcast(SPECIES, dirW[k]), dir);
        delta = hk.fma(FloatVector.broadcast(SPECIES, lrW[k]), delta);
      }
      for (int s = 0; s < SCALES; s++) {
        dir = FloatVector.fromArray(SPECIES, gateIn[s], i).fma(FloatVector.broadcast(SPECIES, dirW[p + s]), dir);
      }
      final FloatVector old = FloatVector.fromArray(SPECIES, logLr, si);
      FloatVector s = old.add(delta);
      s = s.blend(maxLr, s.compare(VectorOperators.GT, maxLr)).blend(-maxLr, s.compare(VectorOperators.LT, -maxLr));
      final FloatVector next = old.mul(keep).add(s.mul(move));
      FloatVector.fromArray(SPECIES, lrSum, lo + i).add(next.blend(0f, pad)).intoArray(lrSum, lo + i);
      FloatVector.fromArray(SPECIES, d2, lo + i).add(dir.mul(dir).blend(0f, pad)).intoArray(d2, lo + i);
      next.intoArray(logLr, si);
      dir.intoArray(dRaw, si);
      // exp(s + c), FastMathLoops.exp
      FloatVector x = s.add(c);
      x = x.blend(80f, x.compare(VectorOperators.GT, 80f)).blend(-80f, x.compare(VectorOperators.LT, -80f));
      final FloatVector y = x.mul(LOG2E);
      final FloatVector t = y.add(128f);
      final FloatVector r = t.add(MAGIC).sub(MAGIC);
      final FloatVector k = r.sub(r.sub(t).add(0.5f).add(MAGIC).sub(MAGIC)).sub(128f);
      final FloatVector f = y.sub(k).mul(LN2);
      FloatVector q = f.mul(1f / 720f).add(1f / 120f);
      q = f.mul(q).add(1f / 24f);
      q = f.mul(q).add(1f / 6f);
      q = f.mul(q).add(0.5f);
      q = f.mul(q).add(1f);
      q = f.mul(q).add(1f);
      q.mul(k.add(127f + MAGIC).reinterpretAsInts().lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats())
          .intoArray(stepSize, si);
      if (attend) {
        FloatVector a = FloatVector.zero(SPECIES);
        for (int j = 0; j < p; j++) {
          a = FloatVector.fromArray(SPECIES, h[j], si).fma(FloatVector.broadcast(SPECIES, attW[j]), a);
        }
        for (int j = 0; j < SCALES; j++) {
          a = FloatVector.fromArray(SPECIES, gateIn[j], i).fma(FloatVector.broadcast(SPECIES, attW[p + j]), a);
        }
        final float[] a2 = laneSums[p + F + 2];
        FloatVector.fromArray(SPECIES, a2, lo + i).add(a.mul(a).blend(0f, pad)).intoArray(a2, lo + i);
        a.intoArray(aRaw, si);
      }
    }
  }
}
