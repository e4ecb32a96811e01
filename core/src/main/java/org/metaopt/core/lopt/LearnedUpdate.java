package org.metaopt.core.lopt;

import org.metaopt.core.optim.Optimizer;

/**
 * An optimizer driven by meta-parameters θ whose θ can be replaced between steps while its inner state (moments,
 * RNN hidden states) carries on: what persistent truncated unrolls (PES) need when a new optimizer version or a
 * new perturbation arrives mid-trajectory. Not thread-safe.
 */
public interface LearnedUpdate extends Optimizer {

  /** Copies {@code theta} (length {@code numMetaParams}) in; subsequent steps use it. */
  void setMetaParams(float[] theta);
}
