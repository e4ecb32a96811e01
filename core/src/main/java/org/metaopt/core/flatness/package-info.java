/**
 * Flatness measures of an optimizee at a point, over the {@link org.metaopt.core.task.Task} interface: the
 * Hutchinson estimate of the Hessian trace ({@link org.metaopt.core.flatness.HutchinsonTrace}), the top
 * Hessian eigenvalue by power iteration ({@link org.metaopt.core.flatness.TopEigenvalue}), and the negative
 * local entropy of Entropy-SGD by Monte Carlo and by Langevin dynamics
 * ({@link org.metaopt.core.flatness.LocalEntropy}); {@link org.metaopt.core.flatness.FlatnessProbe} computes
 * a configured subset as one {@link org.metaopt.core.flatness.FlatnessTerms} record.
 *
 * <p>Pure numerics (no Reactor, no Kafka). Every estimator is a deterministic function of its arguments and
 * seed; instances own preallocated scratch vectors and are confined to one thread, like the tasks they probe.
 * A non-finite loss, gradient or Hessian-vector product makes the affected term NaN; nothing here throws for it.
 */
package org.metaopt.core.flatness;
