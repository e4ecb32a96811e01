/**
 * Optimizers for one flat parameter vector: the {@link org.metaopt.core.optim.Optimizer} contract and the
 * hand-designed baselines (SGD, heavy-ball and Nesterov momentum, RMSProp, Adam, AdamW, Lion, Muon) that learned
 * optimizers are compared against, created by name through
 * {@link org.metaopt.core.optim.BaselineOptimizers}; and learning-rate schedules
 * ({@link org.metaopt.core.optim.CosineSchedule}) applied by wrapping
 * ({@link org.metaopt.core.optim.ScheduledOptimizer} over a {@link org.metaopt.core.optim.LearningRateScaled}).
 *
 * <p>Each baseline is a pair: an immutable, validated {@code Config} record of hyperparameters, and the
 * optimizer itself, which owns its per-parameter state in flat {@code float[]} arrays and updates it in one
 * fused pass per step without allocating. SGD, Nesterov, RMSProp and Adam reproduce ND4J's updaters
 * ({@code org.nd4j.linalg.learning}) formula for formula; the tests check this.
 */
package org.metaopt.core.optim;
