package org.metaopt.core.flatness;

/** One flatness measure a {@link FlatnessProbe} can compute; immutable. */
public enum FlatnessTerm {
  /** Hutchinson estimate of {@code tr(H)} and its standard error ({@link HutchinsonTrace}). */
  HESSIAN_TRACE,
  /** Largest-magnitude Hessian eigenvalue by power iteration ({@link TopEigenvalue}). */
  TOP_EIGENVALUE,
  /** Negative local entropy by Monte Carlo ({@link LocalEntropy#monteCarlo}). */
  NEG_LOCAL_ENTROPY_MC,
  /** Negative local entropy at temperature {@code ε²} by annealed SGLD ({@link LocalEntropy#sgld}). */
  NEG_LOCAL_ENTROPY_SGLD
}
