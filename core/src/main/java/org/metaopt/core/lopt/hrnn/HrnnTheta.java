package org.metaopt.core.lopt.hrnn;

import java.util.SplittableRandom;
import org.metaopt.core.tensor.ParamLayout;

/**
 * The meta-parameter layout θ of the hierarchical RNN optimizer: block names, sizes, offsets, and the seeded
 * initialization that makes the untrained optimizer an RMS-normalized, Adam-like momentum rule.
 *
 * <p>GRU weight matrices are row-major {@code [3H, in]} with the rows of the reset gate, the update gate and
 * the candidate stacked in that order. Immutable and thread-safe.
 */
final class HrnnTheta {
  /** Units of the per-parameter GRU. */
  static final int P = 10;
  /** Units of the per-tensor GRU. */
  static final int T = 20;
  /** Units of the global GRU. */
  static final int G = 20;
  /** Gradient timescales. */
  static final int SCALES = 4;
  /** Per-coordinate input features: 4 scaled averages, 3 products, 4 relative log ms, relative log lr. */
  static final int F = SCALES + (SCALES - 1) + SCALES + 1;
  /** Input of the tensor GRU: tensor means of the parameter states and of the features. */
  static final int TENSOR_IN = P + F;

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

  static final ParamLayout LAYOUT = ParamLayout.builder()
      .add("input.avgDecayLogit", 1)
      .add("input.msDecayLogit", 1)
      .add("param.gru.wx", 3 * P, F)
      .add("param.gru.wh", 3 * P, P)
      .add("param.gru.b", 3 * P)
      .add("param.bias.fromTensor", 3 * P, T)
      .add("param.bias.fromGlobal", 3 * P, G)
      .add("param.h0", P)
      .add("tensor.gru.wx", 3 * T, TENSOR_IN)
      .add("tensor.gru.wh", 3 * T, T)
      .add("tensor.gru.b", 3 * T)
      .add("tensor.bias.fromGlobal", 3 * T, G)
      .add("tensor.h0", T)
      .add("global.gru.wx", 3 * G, T)
      .add("global.gru.wh", 3 * G, G)
      .add("global.gru.b", 3 * G)
      .add("global.h0", G)
      .add("output.direction", P)
      .add("output.shortcut", SCALES)
      .add("output.logLrDelta.w", P)
      .add("output.logLrDelta.b", 1)
      .add("output.logLrMomentumLogit", 1)
      .add("output.stepOffset", 1)
      .add("output.initialLogLr", 1)
      .add("output.progressLogLr", 2)
      .build();

  static final int AVG_DECAY = off("input.avgDecayLogit");
  static final int MS_DECAY = off("input.msDecayLogit");
  static final int P_WX = off("param.gru.wx");
  static final int P_WH = off("param.gru.wh");
  static final int P_B = off("param.gru.b");
  static final int P_FROM_T = off("param.bias.fromTensor");
  static final int P_FROM_G = off("param.bias.fromGlobal");
  static final int P_H0 = off("param.h0");
  static final int T_WX = off("tensor.gru.wx");
  static final int T_WH = off("tensor.gru.wh");
  static final int T_B = off("tensor.gru.b");
  static final int T_FROM_G = off("tensor.bias.fromGlobal");
  static final int T_H0 = off("tensor.h0");
  static final int G_WX = off("global.gru.wx");
  static final int G_WH = off("global.gru.wh");
  static final int G_B = off("global.gru.b");
  static final int G_H0 = off("global.h0");
  static final int OUT_DIR = off("output.direction");
  static final int OUT_SHORTCUT = off("output.shortcut");
  static final int OUT_LR_W = off("output.logLrDelta.w");
  static final int OUT_LR_B = off("output.logLrDelta.b");
  static final int OUT_LR_MOMENTUM = off("output.logLrMomentumLogit");
  static final int OUT_STEP_OFFSET = off("output.stepOffset");
  static final int OUT_INIT_LOG_LR = off("output.initialLogLr");
  static final int OUT_PROGRESS = off("output.progressLogLr");

  private HrnnTheta() {}

  private static int off(String name) {
    return LAYOUT.tensor(name).offset();
  }

  /** The seeded initial θ (see the constants for each block's initialization). */
  static float[] initial(long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    float[] th = new float[LAYOUT.size()];
    th[AVG_DECAY] = AVG_DECAY_LOGIT_INIT;
    th[MS_DECAY] = MS_DECAY_LOGIT_INIT;
    gru(th, P_WX, P_WH, P_B, P, F, rng);
    gaussian(th, P_FROM_T, 3 * P * T, WEIGHT_SCALE / Math.sqrt(T), rng);
    gaussian(th, P_FROM_G, 3 * P * G, WEIGHT_SCALE / Math.sqrt(G), rng);
    uniform(th, P_H0, P, rng);
    gru(th, T_WX, T_WH, T_B, T, TENSOR_IN, rng);
    gaussian(th, T_FROM_G, 3 * T * G, WEIGHT_SCALE / Math.sqrt(G), rng);
    uniform(th, T_H0, T, rng);
    gru(th, G_WX, G_WH, G_B, G, T, rng);
    uniform(th, G_H0, G, rng);
    gaussian(th, OUT_DIR, P, DIRECTION_INIT_STD, rng);
    th[OUT_SHORTCUT] = 1f; // the β1 average, RMS-scaled: normalized momentum
    // output.logLrDelta.w and .b stay 0 (the original's zero_init_lr_weights): the learning rate starts fixed
    th[OUT_LR_MOMENTUM] = LR_MOMENTUM_LOGIT_INIT;
    th[OUT_STEP_OFFSET] = STEP_OFFSET_INIT;
    th[OUT_INIT_LOG_LR] = (float) Math.log(INITIAL_LR);
    th[OUT_PROGRESS] = PROGRESS_POWER_INIT;
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
