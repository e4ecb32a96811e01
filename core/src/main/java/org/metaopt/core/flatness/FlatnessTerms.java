package org.metaopt.core.flatness;

/**
 * The flatness measures at one point, each recorded separately so that a meta-objective can re-weight them
 * without re-running; a term that was not computed, or whose loss or Hessian-vector product was not finite, is
 * NaN. Immutable.
 *
 * @param hessianTrace Hutchinson estimate of {@code tr(H)}
 * @param hessianTraceStdErr standard error of {@code hessianTrace}
 * @param topEigenvalue Rayleigh quotient after power iteration
 * @param negLocalEntropyMc {@code -log mean_k exp(-f(w + ξ_k))}, i.e. {@code -F(w; γ) + (d/2) log(2π/γ)}
 * @param negLocalEntropySgld annealed-SGLD estimate of {@code -F_T(w; γ) + (T d/2) log(2πT/γ)}, {@code T = ε²}
 */
public record FlatnessTerms(double hessianTrace, double hessianTraceStdErr, double topEigenvalue,
    double negLocalEntropyMc, double negLocalEntropySgld) {

  /** Nothing computed. */
  public static final FlatnessTerms NONE = new FlatnessTerms(Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);

  /** The value of one term ({@code hessianTrace} for {@link FlatnessTerm#HESSIAN_TRACE}). */
  public double get(FlatnessTerm term) {
    return switch (term) {
      case HESSIAN_TRACE -> hessianTrace;
      case TOP_EIGENVALUE -> topEigenvalue;
      case NEG_LOCAL_ENTROPY_MC -> negLocalEntropyMc;
      case NEG_LOCAL_ENTROPY_SGLD -> negLocalEntropySgld;
    };
  }
}
