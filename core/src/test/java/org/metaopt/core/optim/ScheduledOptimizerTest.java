package org.metaopt.core.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.metaopt.core.tensor.ParamLayout;

/** {@link ScheduledOptimizer} and the {@link LearningRateScaled} optimizers it drives. */
class ScheduledOptimizerTest {
  static final int N = 200;
  static final ParamLayout LAYOUT = ParamLayout.builder().add("a", 4, 5).add("b", 10, 8).add("c", 8, 12).add("d", 4)
      .build();

  static Stream<Arguments> scalable() {
    return Stream.of(
        Arguments.of("adam", (Supplier<LearningRateScaled>) () -> new Adam(Adam.Config.defaults(0.01), N)),
        Arguments.of("adamw", (Supplier<LearningRateScaled>) () -> new AdamW(AdamW.Config.defaults(0.01), N)),
        Arguments.of("nesterov", (Supplier<LearningRateScaled>) () -> new Nesterov(Nesterov.Config.defaults(0.01), N)),
        Arguments.of("muon", (Supplier<LearningRateScaled>) () -> new Muon(Muon.Config.defaults(0.02), LAYOUT)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scalable")
  void aFactorOfOneKeepsEveryBit(String name, Supplier<LearningRateScaled> make) {
    float[] init = GradientSequence.initialParams(31, N);
    float[][] grads = GradientSequence.gradients(32, 30, N);
    float[] plain = GradientSequence.run(make.get(), init, grads);
    LearningRateScaled scaled = make.get();
    scaled.scaleLearningRate(0.25f);
    scaled.scaleLearningRate(1f);
    assertArrayEquals(plain, GradientSequence.run(scaled, init, grads), name);
    float[][] one = {grads[0]};
    assertArrayEquals(GradientSequence.run(make.get(), init, one), // a one-step run's factor is 1
        GradientSequence.run(new ScheduledOptimizer(make.get(), new CosineSchedule(1)), init, one), name);
  }

  /** Nesterov is left out: its velocity carries the earlier steps' rates, so it still moves at factor 0. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("scalable")
  void theLastStepOfTheRunMovesNothing(String name, Supplier<LearningRateScaled> make) {
    if (name.equals("nesterov")) {
      return;
    }
    float[] init = GradientSequence.initialParams(33, N);
    float[][] grads = GradientSequence.gradients(34, 20, N);
    ScheduledOptimizer opt = new ScheduledOptimizer(make.get(), new CosineSchedule(20));
    float[] w = init.clone();
    for (int t = 0; t < 19; t++) {
      opt.step(w, grads[t].clone());
    }
    float[] before = w.clone();
    opt.step(w, grads[19].clone());
    assertArrayEquals(before, w, name);
    assertEquals(20, opt.steps());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scalable")
  void reportsTheInnerNameWithASuffixAndTheBaseRate(String name, Supplier<LearningRateScaled> make) {
    ScheduledOptimizer opt = new ScheduledOptimizer(make.get(), new CosineSchedule(20));
    assertEquals(name + "-cosine", opt.name());
    assertEquals(make.get().learningRate(), opt.learningRate());
  }

  @Test
  void scheduledAdamWFollowsTheReferenceAtTheScheduledRate() {
    double lr = 0.01;
    double wd = AdamW.DEFAULT_WEIGHT_DECAY;
    int steps = 60;
    CosineSchedule schedule = new CosineSchedule(steps);
    float[] init = GradientSequence.initialParams(35, N);
    float[][] grads = GradientSequence.gradients(36, steps, N);
    double[] w = new double[N];
    double[] m = new double[N];
    double[] v = new double[N];
    for (int i = 0; i < N; i++) {
      w[i] = init[i];
    }
    for (int t = 1; t <= steps; t++) {
      double lrT = lr * schedule.factor(t - 1);
      for (int i = 0; i < N; i++) {
        float g = grads[t - 1][i];
        m[i] = 0.9 * m[i] + 0.1 * g;
        v[i] = 0.999 * v[i] + 0.001 * g * g;
        double mHat = m[i] / (1 - Math.pow(0.9, t));
        double vHat = v[i] / (1 - Math.pow(0.999, t));
        w[i] -= lrT * (mHat / (Math.sqrt(vHat) + 1e-8) + wd * w[i]);
      }
    }
    float[] expected = new float[N];
    for (int i = 0; i < N; i++) {
      expected[i] = (float) w[i];
    }
    float[] actual = GradientSequence.run(
        new ScheduledOptimizer(new AdamW(AdamW.Config.defaults(lr), N), schedule), init, grads);
    double diff = GradientSequence.maxRelativeDiff(actual, expected);
    assertTrue(diff < 1e-5, "differs from the reference by " + diff);
  }

  @Test
  void resetRestartsTheSchedule() {
    ScheduledOptimizer opt = new ScheduledOptimizer(new Adam(Adam.Config.defaults(0.01), N), new CosineSchedule(10));
    float[] init = GradientSequence.initialParams(37, N);
    float[][] grads = GradientSequence.gradients(38, 7, N);
    float[] first = GradientSequence.run(opt, init, grads);
    opt.reset();
    assertEquals(0, opt.steps());
    assertArrayEquals(first, GradientSequence.run(opt, init, grads));
  }

  @Test
  void factorsMustBeFiniteAndNonNegative() {
    Adam adam = new Adam(Adam.Config.defaults(0.01), N);
    assertThrows(IllegalArgumentException.class, () -> adam.scaleLearningRate(-0.5f));
    assertThrows(IllegalArgumentException.class, () -> adam.scaleLearningRate(Float.NaN));
    assertThrows(IllegalArgumentException.class, () -> adam.scaleLearningRate(Float.POSITIVE_INFINITY));
    assertThrows(IllegalArgumentException.class, () -> new ScheduledOptimizer(null, new CosineSchedule(5)));
  }
}
