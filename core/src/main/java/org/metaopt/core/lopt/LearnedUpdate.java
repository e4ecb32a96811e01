package org.metaopt.core.lopt;

import org.metaopt.core.optim.Optimizer;

/**
 * An optimizer driven by meta-parameters θ whose θ can be replaced between steps while its inner state (moments,
 * RNN hidden states) carries on: what persistent truncated unrolls (PES) need when a new optimizer version or a
 * new perturbation arrives mid-trajectory. Its whole state can also be copied out to one flat buffer and back
 * ({@link #saveState}, {@link #loadState}), so a run can be stored elsewhere (a Deeplearning4j updater view, a
 * checkpoint) and resumed with the same next steps. Not thread-safe.
 */
public interface LearnedUpdate extends Optimizer {

  /** Copies {@code theta} (length {@code numMetaParams}) in; subsequent steps use it. */
  void setMetaParams(float[] theta);

  /** Floats {@link #saveState} writes: the step counter and every state array (fixed at creation). */
  int stateSize();

  /**
   * Writes the state (step counter, moments, hidden states...; not θ, not scratch) into
   * {@code dst[offset, offset + stateSize())}.
   */
  void saveState(float[] dst, int offset);

  /**
   * Replaces the state with what {@link #saveState} of an optimizer created alike (same architecture,
   * hyperparameters and task layout) wrote into {@code src[offset, offset + stateSize())}; the next step is then
   * the one that optimizer would have taken.
   */
  void loadState(float[] src, int offset);
}
