package org.metaopt.core.lopt.hrnn;

import java.util.LinkedHashMap;
import java.util.Map;
import org.metaopt.core.lopt.LearnedOptimizer;
import org.metaopt.core.tensor.ParamLayout;

/**
 * The hierarchical RNN learned optimizer of Wichrowska et al. (ICML 2017, "Learned Optimizers that Scale and
 * Generalize"): a 10-unit GRU per parameter whose biases come from a 20-unit GRU per tensor and a 20-unit
 * global GRU, fed RMS-scaled gradient averages at 4 timescales, and emitting a unit-RMS direction and a
 * momentum-smoothed per-parameter log learning rate.
 *
 * <p>θ layout: see {@link #metaLayout()} (block names {@code input.*}, {@code param.*}, {@code tensor.*},
 * {@code global.*}, {@code output.*}; GRU matrices row-major {@code [3H, in]}, rows reset|update|candidate).
 * The unit counts are hyperparameters ({@code paramUnits}, {@code tensorUnits}, {@code globalUnits}; defaults the
 * paper's 10, 20, 20). The paper's optional attention ({@code attention: true}, off by default) decouples where the
 * gradient is taken from where the parameters are: see {@link org.metaopt.core.optim.Optimizer#looksAhead} and
 * {@code HrnnStepper}. Beyond the paper: {@code totalSteps} feeds a learned training-progress schedule of the
 * step size ({@code output.progressLogLr = [a, b]}: the step is scaled by {@code r^a exp(b p)}, {@code p = t / totalSteps},
 * {@code r = max(1 - p, 1 / totalSteps)}; θ0: a = 1, b = 0, a linear decay), the cheapest
 * way for this architecture to learn a decay for a known horizon. {@code fanInBase: B > 0} (off by default) makes the
 * step width-aware as mlp-lopt's option of the same name ({@link org.metaopt.core.lopt.MlpLopt}): every tensor of
 * rank 2 or more has its step (and look-ahead) scaled by {@code min(1, B / fanIn)}.
 * Immutable and thread-safe; the optimizers it creates are not.
 */
public final class HierarchicalRnnOptimizer implements LearnedOptimizer {
  /** The architecture name in configs and version files. */
  public static final String ARCHITECTURE = "hierarchical-rnn";
  /** Largest accepted GRU size. */
  public static final int MAX_UNITS = HrnnTheta.MAX_UNITS;
  /** Default units of the per-parameter, per-tensor and global GRUs (seed 3's). */
  public static final int DEFAULT_PARAM_UNITS = HrnnTheta.DEFAULT_P;
  public static final int DEFAULT_TENSOR_UNITS = HrnnTheta.DEFAULT_T;
  public static final int DEFAULT_GLOBAL_UNITS = HrnnTheta.DEFAULT_G;

  private final HrnnTheta cfg;
  private final double fanInBase;

  /** The paper's configuration: GRUs of 10, 20 and 20 units, no attention. */
  public HierarchicalRnnOptimizer() {
    this(DEFAULT_PARAM_UNITS, DEFAULT_TENSOR_UNITS, DEFAULT_GLOBAL_UNITS, false);
  }

  /**
   * @param paramUnits units of the per-parameter GRU, tensorUnits of the per-tensor GRU, globalUnits of the global
   *     GRU, each in {@code [1, MAX_UNITS]}
   * @param attention whether the gradient is taken at a learned look-ahead point
   */
  public HierarchicalRnnOptimizer(int paramUnits, int tensorUnits, int globalUnits, boolean attention) {
    this(paramUnits, tensorUnits, globalUnits, attention, 0);
  }

  /**
   * As above, with the width-aware step: {@code fanInBase} 0 (off) or {@code B} in (0, 1e6], a weight tensor's step
   * scaled by {@code min(1, B / fanIn)} ({@link org.metaopt.core.tensor.TensorSpec#fanIn}).
   */
  public HierarchicalRnnOptimizer(int paramUnits, int tensorUnits, int globalUnits, boolean attention,
      double fanInBase) {
    if (!(fanInBase >= 0 && fanInBase <= 1e6)) {
      throw new IllegalArgumentException("fanInBase must be in [0, 1e6] (0: off), got " + fanInBase);
    }
    this.cfg = new HrnnTheta(paramUnits, tensorUnits, globalUnits, attention);
    this.fanInBase = fanInBase;
  }

  @Override
  public String architecture() {
    return ARCHITECTURE;
  }

  @Override
  public Map<String, Object> hyperparameters() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("paramUnits", cfg.p);
    m.put("tensorUnits", cfg.t);
    m.put("globalUnits", cfg.g);
    m.put("gradientScales", HrnnTheta.SCALES);
    m.put("features", HrnnTheta.F);
    m.put("maxLogLr", (double) ParamBlockKernel.MAX_LOG_LR);
    m.put("attention", cfg.attention);
    if (fanInBase > 0) { // recorded only when on, as version files before the option
      m.put("fanInBase", fanInBase);
    }
    return Map.copyOf(m);
  }

  @Override
  public ParamLayout metaLayout() {
    return cfg.layout;
  }

  @Override
  public float[] initialMetaParams(long seed) {
    return cfg.initial(seed);
  }

  @Override
  public org.metaopt.core.lopt.LearnedUpdate create(float[] theta, ParamLayout taskLayout, int totalSteps) {
    int expected = cfg.layout.size();
    if (theta == null || theta.length != expected) {
      throw new IllegalArgumentException("hierarchical-rnn needs theta of length " + expected + " (metaLayout().size())"
          + " but got " + (theta == null ? "null" : theta.length) + "; start from initialMetaParams(seed)");
    }
    for (int i = 0; i < theta.length; i++) {
      if (!Float.isFinite(theta[i])) {
        throw new IllegalArgumentException("hierarchical-rnn theta[" + i + "] = " + theta[i] + " must be finite");
      }
    }
    return new HrnnStepper(cfg, theta, taskLayout, totalSteps, fanInBase);
  }
}
