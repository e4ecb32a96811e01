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
 * The paper's optional attention (gradient taken at a look-ahead point) is not implemented: it needs the
 * gradient at a point other than the current parameters, which {@link Optimizer#step} cannot ask for; it would
 * need a task-aware step. Beyond the paper: {@code totalSteps} feeds a learned training-progress schedule of the
 * step size ({@code output.progressLogLr = [a, b]}: the step is scaled by {@code r^a exp(b p)}, {@code p = t / totalSteps},
 * {@code r = max(1 - p, 1 / totalSteps)}; θ0: a = 1, b = 0, a linear decay), the cheapest
 * way for this architecture to learn a decay for a known horizon.
 * Immutable and thread-safe; the optimizers it creates are not.
 */
public final class HierarchicalRnnOptimizer implements LearnedOptimizer {
  /** The architecture name in configs and version files. */
  public static final String ARCHITECTURE = "hierarchical-rnn";

  @Override
  public String architecture() {
    return ARCHITECTURE;
  }

  @Override
  public Map<String, Object> hyperparameters() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("paramUnits", HrnnTheta.P);
    m.put("tensorUnits", HrnnTheta.T);
    m.put("globalUnits", HrnnTheta.G);
    m.put("gradientScales", HrnnTheta.SCALES);
    m.put("features", HrnnTheta.F);
    m.put("maxLogLr", (double) ParamBlockKernel.MAX_LOG_LR);
    m.put("attention", false);
    return Map.copyOf(m);
  }

  @Override
  public ParamLayout metaLayout() {
    return HrnnTheta.LAYOUT;
  }

  @Override
  public float[] initialMetaParams(long seed) {
    return HrnnTheta.initial(seed);
  }

  @Override
  public org.metaopt.core.lopt.LearnedUpdate create(float[] theta, ParamLayout taskLayout, int totalSteps) {
    int expected = HrnnTheta.LAYOUT.size();
    if (theta == null || theta.length != expected) {
      throw new IllegalArgumentException("hierarchical-rnn needs theta of length " + expected + " (metaLayout().size())"
          + " but got " + (theta == null ? "null" : theta.length) + "; start from initialMetaParams(seed)");
    }
    for (int i = 0; i < theta.length; i++) {
      if (!Float.isFinite(theta[i])) {
        throw new IllegalArgumentException("hierarchical-rnn theta[" + i + "] = " + theta[i] + " must be finite");
      }
    }
    return new HrnnStepper(theta, taskLayout, totalSteps);
  }
}
