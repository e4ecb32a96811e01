/**
 * Learned optimizers: the {@link org.metaopt.core.lopt.LearnedOptimizer} contract (a factory from
 * meta-parameters θ to an {@link org.metaopt.core.optim.Optimizer}) and its architectures, created by name
 * through {@link org.metaopt.core.lopt.registry.LearnedOptimizers}: {@code step-size} (seed 2), {@code mlp-lopt}
 * (learned_optimization), {@code l2o-dm} and {@code rnnprop} (Open-L2O), and {@code hierarchical-rnn} (seed 3,
 * subpackage {@code hrnn}).
 *
 * <p>Each architecture documents its θ layout block by block and draws an initial θ that already behaves like a
 * hand-designed rule. The optimizers keep all per-parameter state in arrays allocated at creation and run
 * their networks over blocks of coordinates stored feature-major, so that C2 auto-vectorizes the inner loops:
 * {@link org.metaopt.core.kernel.Rows} (matrix rows as fused multiply-adds over row arrays) and
 * {@link org.metaopt.core.kernel.FastMathLoops} (activations, exp, log), with the older flat-array {@code BlockOps}
 * left only for l2o-dm's and rnnprop's small input and output projections (docs/benchmarks.md explains which loop
 * shapes vectorize on Java 17); steps do not allocate. Decaying state is flushed to 0 below 2^-124 ({@link
 * org.metaopt.core.kernel.FastMath#FLUSH}) so subnormals never slow a step. Non-finite gradient entries are treated as 0 by every architecture (the
 * trainer is expected to reject NaN losses upstream; this keeps one bad coordinate from poisoning the others).
 */
package org.metaopt.core.lopt;

import org.metaopt.core.kernel.BlockOps;
