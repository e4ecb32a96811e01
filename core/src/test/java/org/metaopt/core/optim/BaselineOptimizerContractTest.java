package org.metaopt.core.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.metaopt.core.tensor.ParamLayout;

/** The conformance suite every baseline optimizer in {@link BaselineOptimizers#names()} passes. */
class BaselineOptimizerContractTest {
  static final int N = 257;
  /**
   * Four matrices (a dense input layer, a conv kernel, a hidden dense layer, an output layer) and a bias: Muon
   * orthogonalizes the middle two.
   */
  static final ParamLayout LAYOUT = ParamLayout.builder().add("w1", 8, 16).add("c", 4, 2, 2, 2).add("w2", 8, 4)
      .add("w3", 4, 16).add("b", 1).build();
  /** The run length the scheduled baselines are made for: the longest run below. */
  static final int TOTAL_STEPS = 100;

  static Stream<String> names() {
    return BaselineOptimizers.names().stream();
  }

  /** The named baseline, for a run of {@value #TOTAL_STEPS} steps if it is scheduled. */
  static Optimizer create(String name, double learningRate) {
    return BaselineOptimizers.create(name, learningRate, LAYOUT, TOTAL_STEPS);
  }

  /** A learning rate in the middle of the optimizer's own tuning grid. */
  static double midGridRate(String name) {
    double[] grid = BaselineOptimizers.defaultLearningRateGrid(name);
    return grid[grid.length / 2];
  }

  @ParameterizedTest
  @MethodSource("names")
  void reportsItsNameAndLearningRate(String name) {
    Optimizer opt = create(name, 0.0123);
    assertEquals(name, opt.name());
    assertEquals(0.0123, opt.learningRate());
  }

  @ParameterizedTest
  @MethodSource("names")
  void producesFiniteParametersFromVariedScaleGradients(String name) {
    Optimizer opt = create(name, midGridRate(name));
    float[] w = GradientSequence.run(opt, GradientSequence.initialParams(7, N),
        GradientSequence.gradients(8, 100, N));
    for (float x : w) {
      assertTrue(Float.isFinite(x), name + " produced " + x);
    }
  }

  @ParameterizedTest
  @MethodSource("names")
  void resetRestoresTheInitialTrajectory(String name) {
    Optimizer opt = create(name, midGridRate(name));
    float[] init = GradientSequence.initialParams(9, N);
    float[][] grads = GradientSequence.gradients(10, 20, N);
    float[] first = GradientSequence.run(opt, init, grads);
    opt.reset();
    float[] second = GradientSequence.run(opt, init, grads);
    float[] fresh = GradientSequence.run(create(name, midGridRate(name)), init, grads);
    assertArrayEquals(fresh, first, name + ": first run differs from a fresh instance");
    assertArrayEquals(fresh, second, name + ": run after reset differs from a fresh instance");
  }

  @ParameterizedTest
  @MethodSource("names")
  void decreasesHalfSquaredNormOverOneHundredStepsAtTheTopOfItsGrid(String name) {
    // 0.5 * ||w||^2 has gradient w (unit curvature). The largest rate of each grid must be stable on it and
    // fast enough to halve it from w ~ N(0, 1) in 100 steps (Lion moves each coordinate by lr per step).
    double[] grid = BaselineOptimizers.defaultLearningRateGrid(name);
    Optimizer opt = create(name, grid[grid.length - 1]);
    float[] w = GradientSequence.initialParams(11, N);
    double before = halfSquaredNorm(w);
    float[] g = new float[N];
    for (int t = 0; t < 100; t++) {
      System.arraycopy(w, 0, g, 0, N);
      opt.step(w, g);
    }
    double after = halfSquaredNorm(w);
    assertTrue(after < 0.5 * before, name + ": 0.5||w||^2 went from " + before + " to " + after);
  }

  @ParameterizedTest
  @MethodSource("names")
  void rejectsArraysOfTheWrongLength(String name) {
    Optimizer opt = create(name, midGridRate(name));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> opt.step(new float[N], new float[N - 1]));
    assertTrue(e.getMessage().contains(String.valueOf(N)), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> opt.step(new float[N + 1], new float[N + 1]));
  }

  @ParameterizedTest
  @MethodSource("names")
  void leavesTheGradientUntouched(String name) {
    Optimizer opt = create(name, midGridRate(name));
    float[] g = GradientSequence.gradients(12, 1, N)[0];
    float[] copy = g.clone();
    opt.step(new float[N], g);
    assertArrayEquals(copy, g);
  }

  private static double halfSquaredNorm(float[] w) {
    double s = 0;
    for (float x : w) {
      s += (double) x * x;
    }
    return 0.5 * s;
  }
}
