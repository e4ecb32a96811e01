package org.metaopt.core.meta;

import java.util.SplittableRandom;

/**
 * How long inner trajectories are and where they are cut into truncations (segments). A trajectory is a list of
 * segment lengths; the learned optimizer's and optimizee's state carry across segments of one trajectory and are
 * reset between trajectories. Implementations are immutable and thread-safe.
 */
public interface TruncationSchedule {

  /** The segment lengths of one new trajectory (each >= 1). */
  int[] sampleTrajectory(SplittableRandom rng);

  /** {@code total} steps cut into segments of {@code length} (the last may be shorter). */
  static int[] cut(int total, int length) {
    int n = (total + length - 1) / length;
    int[] out = new int[n];
    for (int i = 0; i < n; i++) {
      out[i] = Math.min(length, total - i * length);
    }
    return out;
  }

  /** Fixed trajectory length cut into fixed-length truncations. */
  record Constant(int trajectoryLength, int truncationLength) implements TruncationSchedule {
    public Constant {
      if (trajectoryLength < 1 || truncationLength < 1) {
        throw new IllegalArgumentException("trajectoryLength " + trajectoryLength + " and truncationLength "
            + truncationLength + " must be >= 1");
      }
    }

    @Override
    public int[] sampleTrajectory(SplittableRandom rng) {
      return cut(trajectoryLength, truncationLength);
    }
  }

  /**
   * Trajectory length log-uniform in [minLength, maxLength], cut into fixed-length truncations
   * (learned_optimization's LogUniformLengthSchedule).
   */
  record LogUniform(int minLength, int maxLength, int truncationLength) implements TruncationSchedule {
    public LogUniform {
      if (minLength < 1 || maxLength < minLength || truncationLength < 1) {
        throw new IllegalArgumentException("need 1 <= minLength " + minLength + " <= maxLength " + maxLength
            + " and truncationLength " + truncationLength + " >= 1");
      }
    }

    @Override
    public int[] sampleTrajectory(SplittableRandom rng) {
      double u = rng.nextDouble();
      int total = (int) Math.round(Math.exp(Math.log(minLength) + u * (Math.log(maxLength) - Math.log(minLength))));
      return cut(Math.max(minLength, Math.min(maxLength, total)), truncationLength);
    }
  }

  /**
   * Seed 3's heavy-tailed unroll lengths: the number of partial unrolls is {@code round(Exp(meanPartials)) + 1}
   * and each partial unroll has {@code round(Exp(meanSegment)) + minSegment} steps (paper: 40, 200, 50). Both are
   * capped ({@code maxPartials}, {@code maxSegment}) so one trajectory cannot run away.
   */
  record HeavyTailed(double meanPartials, double meanSegment, int minSegment, int maxPartials, int maxSegment)
      implements TruncationSchedule {
    public HeavyTailed {
      if (!(meanPartials > 0) || !(meanSegment > 0) || minSegment < 1 || maxPartials < 1 || maxSegment < minSegment) {
        throw new IllegalArgumentException("heavy-tailed schedule needs positive means, minSegment >= 1, "
            + "maxPartials >= 1 and maxSegment >= minSegment");
      }
    }

    /** The paper's setting: Exp(40) partial unrolls of Exp(200) + 50 steps. */
    public static HeavyTailed paper() {
      return new HeavyTailed(40, 200, 50, 400, 2000);
    }

    @Override
    public int[] sampleTrajectory(SplittableRandom rng) {
      int partials = (int) Math.min(maxPartials, Math.round(exp(rng, meanPartials)) + 1);
      int[] out = new int[partials];
      for (int i = 0; i < partials; i++) {
        out[i] = (int) Math.min(maxSegment, Math.round(exp(rng, meanSegment)) + minSegment);
      }
      return out;
    }

    private static double exp(SplittableRandom rng, double mean) {
      return -mean * Math.log(1.0 - rng.nextDouble());
    }
  }
}
