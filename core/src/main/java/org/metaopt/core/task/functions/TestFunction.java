package org.metaopt.core.task.functions;

/**
 * A classic optimization test function of seed 3's meta-training ensemble, evaluated in double precision.
 *
 * <p>Every function is shifted, where needed, so that its global minimum value is 0 (log-loss meta-objectives
 * need positive losses). Stateless and thread-safe.
 */
public interface TestFunction {

  /** The name used in task specs ({@code rosenbrock}, {@code styblinski-tang}, ...). */
  String name();

  /** The only dimension the function is defined for, or 0 when it is defined for every {@code n >= 1}. */
  int fixedDimension();

  /** Initial points are drawn uniformly from {@code [-initRadius, initRadius]^n}. */
  double initRadius();

  /** f(x). */
  double value(double[] x);

  /** f(x), writing the gradient into {@code grad}. */
  double valueAndGradient(double[] x, double[] grad);

  /**
   * Writes {@code H(x) v} into {@code out} and returns true when the function derives it exactly; returns false
   * (and leaves {@code out} alone) when callers must use finite differences.
   */
  default boolean hessianVectorProduct(double[] x, double[] v, double[] out) {
    return false;
  }
}
