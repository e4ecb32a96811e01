package org.metaopt.core.lopt;

import java.util.Map;
import org.metaopt.core.tensor.ParamLayout;

/**
 * A learned-optimizer architecture: a factory from meta-parameters θ (one flat {@code float[]} with the
 * documented layout {@link #metaLayout()}) to an {@link org.metaopt.core.optim.Optimizer} for one task (the learned_optimization
 * design: {@code opt_fn(theta) -> Optimizer}).
 *
 * <p>Implementations are immutable and thread-safe; the optimizers they create are not (one per optimizee run)
 * and keep their own per-parameter, per-tensor and global state in flat arrays.
 */
public interface LearnedOptimizer {

  /** The architecture name used in configs and version files ({@code step-size}, {@code mlp-lopt}, ...). */
  String architecture();

  /** Architecture hyperparameters (hidden sizes, decays...), as recorded in version files. */
  Map<String, Object> hyperparameters();

  /** Named blocks of θ, back to back; {@code metaLayout().size()} is the length of θ. */
  ParamLayout metaLayout();

  /** Length of θ. */
  default int numMetaParams() {
    return metaLayout().size();
  }

  /** Initial θ drawn from {@code seed}: an optimizer that already makes sensible progress. */
  float[] initialMetaParams(long seed);

  /**
   * A fresh optimizer for parameters laid out as {@code taskLayout}, driven by {@code theta} (copied, so later
   * changes to the array do not affect it). {@code totalSteps} feeds the training-progress feature; 0 when
   * unknown. θ may later be swapped with {@link LearnedUpdate#setMetaParams} while the state carries on.
   */
  LearnedUpdate create(float[] theta, ParamLayout taskLayout, int totalSteps);
}
