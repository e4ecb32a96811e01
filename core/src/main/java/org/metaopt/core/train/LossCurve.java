package org.metaopt.core.train;

/**
 * Downsampled training-loss curves: point i is the mean minibatch loss over steps
 * {@code [i*stride, min((i+1)*stride, steps))}, so a curve has at most {@link #MAX_POINTS} points. Stateless.
 */
public final class LossCurve {
  /** The most points a curve keeps. */
  public static final int MAX_POINTS = 200;

  private LossCurve() {}

  /** Steps per point for a run of {@code steps} steps (at least 1). */
  public static int stride(int steps) {
    return Math.max(1, (steps + MAX_POINTS - 1) / MAX_POINTS);
  }

  /** Bucket means of the first {@code steps} losses with the given stride. */
  public static float[] downsample(float[] losses, int steps, int stride) {
    if (steps > losses.length || steps < 0 || stride < 1) {
      throw new IllegalArgumentException("steps " + steps + " of " + losses.length + " losses, stride " + stride);
    }
    float[] out = new float[(steps + stride - 1) / stride];
    for (int i = 0; i < out.length; i++) {
      int from = i * stride;
      int to = Math.min(from + stride, steps);
      double sum = 0;
      for (int s = from; s < to; s++) {
        sum += losses[s];
      }
      out[i] = (float) (sum / (to - from));
    }
    return out;
  }

  /** The pointwise mean of curves of equal length (an empty array when there are none). */
  public static float[] mean(java.util.List<float[]> curves) {
    if (curves.isEmpty()) {
      return new float[0];
    }
    float[] out = new float[curves.get(0).length];
    for (float[] c : curves) {
      if (c.length != out.length) {
        throw new IllegalArgumentException("curves of length " + c.length + " and " + out.length);
      }
      for (int i = 0; i < out.length; i++) {
        out[i] += c[i] / curves.size();
      }
    }
    return out;
  }
}
