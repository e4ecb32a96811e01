/**
 * Learned optimizers: the {@link org.metaopt.core.lopt.LearnedOptimizer} contract (a factory from
 * meta-parameters θ to an {@link org.metaopt.core.optim.Optimizer}) and its architectures, created by name
 * through {@link org.metaopt.core.lopt.LearnedOptimizers}: {@code step-size} (seed 2), {@code mlp-lopt}
 * (learned_optimization), {@code l2o-dm} and {@code rnnprop} (Open-L2O).
 *
 * <p>Each architecture documents its θ layout block by block and draws an initial θ that already behaves like a
 * hand-designed rule. The optimizers keep all per-parameter state in flat arrays allocated at creation and run
 * their networks over blocks of coordinates stored feature-major ({@code BlockOps}), so the inner loops
 * vectorize; steps do not allocate. Non-finite gradient entries are treated as 0 by every architecture (the
 * trainer is expected to reject NaN losses upstream; this keeps one bad coordinate from poisoning the others).
 */
package org.metaopt.core.lopt;
