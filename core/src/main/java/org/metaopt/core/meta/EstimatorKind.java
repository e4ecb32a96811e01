package org.metaopt.core.meta;

/** How segments are turned into meta-gradient estimates. */
public enum EstimatorKind {
  /** Antithetic ES over whole trajectories (one segment per trajectory): unbiased for the smoothed loss. */
  FULL_ES,
  /** Antithetic ES on each truncation alone: cheap but biased (ignores the effect of θ on earlier segments). */
  TRUNCATED_ES,
  /**
   * Persistent ES (Vicol et al. 2021): each trajectory accumulates its perturbations across truncations, which
   * makes the truncated estimate unbiased.
   */
  PES
}
