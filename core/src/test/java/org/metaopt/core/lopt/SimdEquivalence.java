package org.metaopt.core.lopt;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.SplittableRandom;

/**
 * Shared check of the SIMD tests: a learned optimizer with its plain loops and the same one with its SIMD kernels,
 * stepped on the same gradients from the same parameters, must hold the same bits after every step (and, when it
 * looks ahead, at every gradient point).
 */
public final class SimdEquivalence {
  /** The gradient of step {@code t} for {@code n} parameters. */
  public interface Gradients {
    float[] at(int t, int n, SplittableRandom r);
  }

  private SimdEquivalence() {}

  /** {@code theta} plus uniform noise in ±{@code spread}: off the structured θ0, so that every weight matters. */
  public static float[] perturbed(float[] theta, double spread, SplittableRandom r) {
    float[] out = theta.clone();
    for (int i = 0; i < out.length; i++) {
      out[i] += (float) r.nextDouble(-spread, spread);
    }
    return out;
  }

  /** Steps both optimizers {@code steps} times from the same Gaussian parameters and compares them bit for bit. */
  public static void assertSameTrajectory(LearnedUpdate plain, LearnedUpdate simd, int n, int steps, Gradients g,
      SplittableRandom r) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = (float) r.nextGaussian() * 0.1f;
    }
    float[] b = a.clone();
    float[] start = a.clone();
    float[] pointA = new float[n];
    float[] pointB = new float[n];
    for (int t = 0; t < steps; t++) {
      float[] grad = g.at(t, n, r);
      plain.step(a, grad.clone());
      simd.step(b, grad.clone());
      same("step " + t, a, b);
      if (plain.looksAhead()) {
        plain.gradientPoint(a, pointA);
        simd.gradientPoint(b, pointB);
        same("look-ahead point after step " + t, pointA, pointB);
      }
    }
    int moved = 0;
    for (int i = 0; i < n; i++) {
      moved += b[i] != start[i] ? 1 : 0;
    }
    assertTrue(moved > n / 2, "the optimizer moved only " + moved + " of " + n + " parameters");
  }

  private static void same(String what, float[] a, float[] b) {
    for (int i = 0; i < a.length; i++) {
      if (Float.floatToRawIntBits(a[i]) != Float.floatToRawIntBits(b[i])) {
        fail(what + ", coordinate " + i + ": plain " + a[i] + ", SIMD " + b[i]);
      }
    }
  }
}
