/**
 * The hierarchical RNN learned optimizer (Wichrowska et al. 2017), architecture {@code hierarchical-rnn}:
 * {@link org.metaopt.core.lopt.hrnn.HierarchicalRnnOptimizer} is the θ → optimizer factory; the per-coordinate
 * work runs in fused, block-wise {@code float[]} loops with fast tanh/sigmoid/log approximations.
 */
package org.metaopt.core.lopt.hrnn;
