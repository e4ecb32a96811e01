package org.metaopt.core.lopt.hrnn;

import java.util.SplittableRandom;
import org.metaopt.core.tensor.ParamLayout;

/**
 * The meta-parameter layout θ of the hierarchical RNN optimizer: block names, sizes, offsets, and the seeded
 * initialization that makes the untrained optimizer an RMS-normalized, Adam-like momentum rule.
 *
 * <p>One instance per configuration (unit counts, attention on or off). GRU weight matrices are row-major
 * {@code [3H, in]} with the rows of the reset gate, the update gate and the candidate stacked in that order. With
 * attention off the layout is exactly the one of version files written before attention existed; attention
 * appends two blocks ({@code output.attention}, {@code output.attentionShortcut}). Immutable and thread-safe.
 */
final class HrnnTheta {
  /** Default units of the per-parameter GRU (seed 3). */
  static final int DEFAULT_P = 10;
  /** Default units of the per-tensor GRU. */
  static final int DEFAULT_T = 20;
  /** Default units of the global GRU. */
  static final int DEFAULT_G = 20;
  /** Largest accepted GRU size. */
  static final int MAX_UNITS = 256;
  /** Gradient timescales. */
  static final int SCALES = 4;
  /** Per-coordinate input features: 4 scaled averages, 3 products, 4 relative log ms, relative log lr. */
  static final int F = SCALES + (SCALES - 1) + SCALES + 1;

  /** GRU gate bias init (sigmoid(2.2) ~ 0.9: gates start mostly open / state mostly kept), as the original. */
  static final float GATE_BIAS_INIT = 2.2f;
  /** Initial logit of the averaging decay β1 (sigmoid(2.2) ~ 0.90). */
  static final float AVG_DECAY_LOGIT_INIT = 2.2f;
  /** Initial logit of the mean-square decay (sigmoid(3.2) ~ 0.961). */
  static final float MS_DECAY_LOGIT_INIT = 3.2f;
  /** Initial logit of the log-learning-rate momentum (sigmoid(3.2) ~ 0.961). */
  static final float LR_MOMENTUM_LOGIT_INIT = 3.2f;
  /** Initial step-size offset c in {@code exp(logLr + c)}. */
  static final float STEP_OFFSET_INIT = -1f;
  /**
   * Initial per-parameter learning rate, {@code exp} of the {@code output.initialLogLr} entry: with the step
   * offset e^-1, a first step of 0.037 per unit-RMS direction (was 1e-2, a step of 0.0037, far below the rates
   * tuned Adam picks on the meta-training suite, 0.01..0.46; 0.1 was the best of 0.01, 0.1, 0.2, 0.3, 0.4, 1 for
   * θ0 against tuned Adam there).
   */
  static final double INITIAL_LR = 0.1;
  /**
   * Initial training-progress schedule: the step is multiplied by {@code r^a * exp(b * p)} with
   * {@code p = t / totalSteps} and {@code r = max(1 - p, 1 / totalSteps)} the remaining fraction
   * ({@code output.progressLogLr = [a, b]}); θ0 has a = 1, b = 0: a linear decay to ~0 over the run.
   */
  static final float PROGRESS_POWER_INIT = 1f;
  /** Std of the direction readout at init: small, so the gradient shortcut dominates the first steps. */
  static final double DIRECTION_INIT_STD = 0.01;
  /** Scale of GRU and bias-affine weights: {@code N(0, (0.5 / sqrt(fanIn))^2)}, as the original's flags. */
  static final double WEIGHT_SCALE = 0.5;

  /** Units of the per-parameter GRU. */
  final int p;
  /** Units of the per-tensor GRU. */
  final int t;
  /** Units of the global GRU. */
  final int g;
  /** Whether the gradient is taken at a learned look-ahead point (the paper's attention). */
  final boolean attention;
  /** Input of the tensor GRU: tensor means of the parameter states and of the features. */
  final int tensorIn;
  final ParamLayout layout;

  final int avgDecay;
  final int msDecay;
  final int pWx;
  final int pWh;
  final int pB;
  final int pFromT;
  final int pFromG;
  final int pH0;
  final int tWx;
  final int tWh;
  final int tB;
  final int tFromG;
  final int tH0;
  final int gWx;
  final int gWh;
  final int gB;
  final int gH0;
  final int outDir;
  final int outShortcut;
  final int outLrW;
  final int outLrB;
  final int outLrMomentum;
  final int outStepOffset;
  final int outInitLogLr;
  final int outProgress;
  /** Offsets of the attention readout ({@code p}) and its gradient shortcut ({@code SCALES}); -1 without attention. */
  final int outAttention;
  final int outAttentionShortcut;

  /** The paper's sizes without attention: the layout of every version file written so far. */
  static final HrnnTheta DEFAULT = new HrnnTheta(DEFAULT_P, DEFAULT_T, DEFAULT_G, false);

  HrnnTheta(int p, int t, int g, boolean attention) {
    if (Math.min(p, Math.min(t, g)) < 1 || Math.max(p, Math.max(t, g)) > MAX_UNITS) {
      throw new IllegalArgumentException("GRU units must be in [1, " + MAX_UNITS + "], got param " + p + ", tensor "
          + t + ", global " + g);
    }
    this.p = p;
    this.t = t;
    this.g = g;
    this.attention = attention;
    this.tensorIn = p + F;
    ParamLayout.Builder b = ParamLayout.builder()
        .add("input.avgDecayLogit", 1)
        .add("input.msDecayLogit", 1)
        .add("param.gru.wx", 3 * p, F)
        .add("param.gru.wh", 3 * p, p)
        .add("param.gru.b", 3 * p)
        .add("param.bias.fromTensor", 3 * p, t)
        .add("param.bias.fromGlobal", 3 * p, g)
        .add("param.h0", p)
        .add("tensor.gru.wx", 3 * t, tensorIn)
        .add("tensor.gru.wh", 3 * t, t)
        .add("tensor.gru.b", 3 * t)
        .add("tensor.bias.fromGlobal", 3 * t, g)
        .add("tensor.h0", t)
        .add("global.gru.wx", 3 * g, t)
        .add("global.gru.wh", 3 * g, g)
        .add("global.gru.b", 3 * g)
        .add("global.h0", g)
        .add("output.direction", p)
        .add("output.shortcut", SCALES)
        .add("output.logLrDelta.w", p)
        .add("output.logLrDelta.b", 1)
        .add("output.logLrMomentumLogit", 1)
        .add("output.stepOffset", 1)
        .add("output.initialLogLr", 1)
        .add("output.progressLogLr", 2);
    if (attention) {
      b.add("output.attention", p).add("output.attentionShortcut", SCALES);
    }
    this.layout = b.build();
    avgDecay = off("input.avgDecayLogit");
    msDecay = off("input.msDecayLogit");
    pWx = off("param.gru.wx");
    pWh = off("param.gru.wh");
    pB = off("param.gru.b");
    pFromT = off("param.bias.fromTensor");
    pFromG = off("param.bias.fromGlobal");
    pH0 = off("param.h0");
    tWx = off("tensor.gru.wx");
    tWh = off("tensor.gru.wh");
    tB = off("tensor.gru.b");
    tFromG = off("tensor.bias.fromGlobal");
    tH0 = off("tensor.h0");
    gWx = off("global.gru.wx");
    gWh = off("global.gru.wh");
    gB = off("global.gru.b");
    gH0 = off("global.h0");
    outDir = off("output.direction");
    outShortcut = off("output.shortcut");
    outLrW = off("output.logLrDelta.w");
    outLrB = off("output.logLrDelta.b");
    outLrMomentum = off("output.logLrMomentumLogit");
    outStepOffset = off("output.stepOffset");
    outInitLogLr = off("output.initialLogLr");
    outProgress = off("output.progressLogLr");
    outAttention = attention ? off("output.attention") : -1;
    outAttentionShortcut = attention ? off("output.attentionShortcut") : -1;
  }

  private int off(String name) {
    return layout.tensor(name).offset();
  }

  /**
   * The seeded initial θ (see the constants for each block's initialization). The entries of the default
   * configuration are drawn in the same order as always, so {@code DEFAULT.initial(seed)} is unchanged; the
   * attention readout starts as a copy of the direction readout and its shortcut as the direction's, as the
   * original initializes its attention weights from the update weights.
   */
  float[] initial(long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    float[] th = new float[layout.size()];
    th[avgDecay] = AVG_DECAY_LOGIT_INIT;
    th[msDecay] = MS_DECAY_LOGIT_INIT;
    gru(th, pWx, pWh, pB, p, F, rng);
    gaussian(th, pFromT, 3 * p * t, WEIGHT_SCALE / Math.sqrt(t), rng);
    gaussian(th, pFromG, 3 * p * g, WEIGHT_SCALE / Math.sqrt(g), rng);
    uniform(th, pH0, p, rng);
    gru(th, tWx, tWh, tB, t, tensorIn, rng);
    gaussian(th, tFromG, 3 * t * g, WEIGHT_SCALE / Math.sqrt(g), rng);
    uniform(th, tH0, t, rng);
    gru(th, gWx, gWh, gB, g, t, rng);
    uniform(th, gH0, g, rng);
    gaussian(th, outDir, p, DIRECTION_INIT_STD, rng);
    th[outShortcut] = 1f; // the β1 average, RMS-scaled: normalized momentum
    // output.logLrDelta.w and .b stay 0 (the original's zero_init_lr_weights): the learning rate starts fixed
    th[outLrMomentum] = LR_MOMENTUM_LOGIT_INIT;
    th[outStepOffset] = STEP_OFFSET_INIT;
    th[outInitLogLr] = (float) Math.log(INITIAL_LR);
    th[outProgress] = PROGRESS_POWER_INIT;
    if (attention) {
      System.arraycopy(th, outDir, th, outAttention, p);
      System.arraycopy(th, outShortcut, th, outAttentionShortcut, SCALES);
    }
    return th;
  }

  private static void gru(float[] th, int wx, int wh, int b, int h, int in, SplittableRandom rng) {
    gaussian(th, wx, 3 * h * in, WEIGHT_SCALE / Math.sqrt(in + h), rng);
    gaussian(th, wh, 3 * h * h, WEIGHT_SCALE / Math.sqrt(in + h), rng);
    for (int j = 0; j < 2 * h; j++) {
      th[b + j] = GATE_BIAS_INIT; // reset and update gates; candidate bias stays 0
    }
  }

  private static void gaussian(float[] th, int off, int n, double std, SplittableRandom rng) {
    for (int i = 0; i < n; i++) {
      th[off + i] = (float) (rng.nextGaussian() * std);
    }
  }

  private static void uniform(float[] th, int off, int n, SplittableRandom rng) {
    for (int i = 0; i < n; i++) {
      th[off + i] = (float) (rng.nextDouble() * 2 - 1);
    }
  }
}
