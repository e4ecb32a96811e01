package org.metaopt.evaluator;

import java.util.List;

/**
 * learned_optimization's "speedup over Adam" (../shared/RESEARCH.md, "Baselines and metrics") at equal budgets:
 * Adam's mean train-loss curve at every learning rate of its tuning grid, each smoothed by an EMA of 0.95 per
 * step, their lower envelope over learning rates, then its running minimum. For a run of {@code T} steps whose
 * smoothed curve ends at loss {@code L}, where the envelope ends at {@code E} after the same {@code T} steps:
 *
 * <ul>
 *   <li>{@code L > E} (slower than Adam at its best rate): (steps the envelope needs to reach {@code L}) /
 *       {@code T}, below 1 — learned_optimization's definition;
 *   <li>{@code L <= E}: {@code T} / (steps the run's smoothed curve needs to reach {@code E}), at least 1. The
 *       envelope only covers {@code T} steps, so the first form would say only "more than T"; this form says how
 *       much sooner the run got to where tuned Adam ends.
 * </ul>
 * A diverged run has speedup 0.
 *
 * <p>Curves here are the downsampled ones ({@link org.metaopt.core.train.LossCurve}: block means of
 * {@code stride} steps), so the EMA runs per block with decay {@code 0.95^stride} and step counts are resolved
 * to a block's end. The envelope comes from the tuning runs (tuning instances and seeds), the optimizer's curve
 * from the evaluation seeds: both are draws of the same task distribution. Stateless.
 */
public final class Speedup {
  /** learned_optimization's per-step EMA decay. */
  public static final double EMA = 0.95;

  private Speedup() {}

  /** The EMA-smoothed curve (decay {@code EMA^stride} per point), starting at the first point. */
  public static double[] smooth(float[] curve, int stride) {
    double a = Math.pow(EMA, stride);
    double[] out = new double[curve.length];
    double s = curve.length == 0 ? 0 : curve[0];
    for (int i = 0; i < curve.length; i++) {
      s = a * s + (1 - a) * curve[i];
      out[i] = s;
    }
    return out;
  }

  /** The running minimum of the pointwise minimum over the smoothed curves (all of one length). */
  public static double[] envelope(List<float[]> curves, int stride) {
    if (curves.isEmpty()) {
      return new double[0];
    }
    double[] env = new double[curves.get(0).length];
    java.util.Arrays.fill(env, Double.POSITIVE_INFINITY);
    for (float[] c : curves) {
      if (c.length != env.length) {
        throw new IllegalArgumentException("curves of length " + c.length + " and " + env.length);
      }
      double[] s = smooth(c, stride);
      for (int i = 0; i < env.length; i++) {
        if (s[i] < env[i]) {
          env[i] = s[i];
        }
      }
    }
    for (int i = 1; i < env.length; i++) {
      env[i] = Math.min(env[i], env[i - 1]);
    }
    return env;
  }

  /**
   * The speedup of a run of {@code steps} steps with downsampled curve {@code curve} over the envelope; NaN
   * when there is no envelope or no curve.
   */
  public static double of(double[] envelope, float[] curve, int stride, int steps, boolean diverged) {
    if (diverged) {
      return 0;
    }
    if (envelope.length == 0 || curve.length == 0) {
      return Double.NaN;
    }
    double[] s = smooth(curve, stride);
    double target = s[s.length - 1];
    if (!Double.isFinite(target)) {
      return 0;
    }
    double end = envelope[envelope.length - 1];
    if (target > end) {
      return (double) firstReach(envelope, target, stride, steps) / steps;
    }
    double best = Double.POSITIVE_INFINITY;
    for (int i = 0; i < s.length; i++) {
      best = Math.min(best, s[i]);
      s[i] = best;
    }
    return (double) steps / firstReach(s, end, stride, steps);
  }

  /** Steps until the curve (a running minimum) is at or below {@code level}: the end of its first such block. */
  private static long firstReach(double[] curve, double level, int stride, int steps) {
    for (int i = 0; i < curve.length; i++) {
      if (curve[i] <= level) {
        return Math.min((long) (i + 1) * stride, steps);
      }
    }
    return steps;
  }
}
