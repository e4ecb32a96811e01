package org.metaopt.core.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.metaopt.core.UserError;
import org.metaopt.core.tensor.ParamLayout;

/** The baseline registry: names, learning-rate validation and tuning grids. */
class BaselineOptimizersTest {
  static final ParamLayout LAYOUT = ParamLayout.vector("w", 10);

  @Test
  void listsTheBaselines() {
    assertEquals(List.of("sgd", "momentum", "nesterov", "rmsprop", "adam", "adamw", "lion", "adam-cosine",
        "adamw-cosine", "nesterov-cosine", "muon"), BaselineOptimizers.names());
  }

  @Test
  void createsTheOptimizerEachNameStandsFor() {
    assertInstanceOf(Sgd.class, BaselineOptimizers.create("sgd", 0.1, LAYOUT));
    assertInstanceOf(Momentum.class, BaselineOptimizers.create("momentum", 0.1, LAYOUT));
    assertInstanceOf(Nesterov.class, BaselineOptimizers.create("nesterov", 0.1, LAYOUT));
    assertInstanceOf(RmsProp.class, BaselineOptimizers.create("rmsprop", 0.1, LAYOUT));
    assertInstanceOf(Adam.class, BaselineOptimizers.create("ADAM", 0.1, LAYOUT));
    assertInstanceOf(AdamW.class, BaselineOptimizers.create("adamw", 0.1, LAYOUT));
    assertInstanceOf(Lion.class, BaselineOptimizers.create("lion", 0.1, LAYOUT));
    assertInstanceOf(Muon.class, BaselineOptimizers.create("muon", 0.1, LAYOUT));
    assertInstanceOf(Adam.class, BaselineOptimizers.create("adam", 0.1, LAYOUT, 50)); // steps ignored
  }

  @ParameterizedTest
  @ValueSource(strings = {"adam", "adamw", "nesterov"})
  void cosineNamesWrapTheirBaseInAScheduleOverTheRun(String base) {
    Optimizer opt = BaselineOptimizers.create(base + "-cosine", 0.1, LAYOUT, 200);
    ScheduledOptimizer scheduled = assertInstanceOf(ScheduledOptimizer.class, opt);
    assertEquals(BaselineOptimizers.create(base, 0.1, LAYOUT).getClass(), scheduled.inner().getClass());
    assertEquals(new CosineSchedule(200, 0.05), scheduled.schedule());
    assertEquals(base + "-cosine", opt.name());
    assertEquals(0.1, opt.learningRate());
    assertTrue(BaselineOptimizers.needsTotalSteps(base + "-cosine"));
    assertFalse(BaselineOptimizers.needsTotalSteps(base));
    assertEquals(BaselineOptimizers.defaultLearningRate(base),
        BaselineOptimizers.defaultLearningRate(base + "-cosine"));
  }

  @Test
  void cosineNamesWithoutAStepCountAreAUserErrorSayingWhatIsMissing() {
    UserError e = assertThrows(UserError.class, () -> BaselineOptimizers.create("adam-cosine", 0.1, LAYOUT));
    assertTrue(e.getMessage().contains("step count") && e.getMessage().contains("'adam'"), e.getMessage());
    assertThrows(UserError.class, () -> BaselineOptimizers.create("adam-cosine", 0.1, LAYOUT, 0));
  }

  @Test
  void muonDefaultsToKellerJordansRate() {
    assertEquals(0.02, BaselineOptimizers.defaultLearningRate("muon"));
    assertFalse(BaselineOptimizers.needsTotalSteps("muon"));
  }

  @Test
  void usesDefaultHyperparameters() {
    Adam adam = (Adam) BaselineOptimizers.create("adam", 0.1, LAYOUT);
    assertEquals(new Adam.Config(0.1, 0.9, 0.999, 1e-8), adam.config());
    RmsProp rms = (RmsProp) BaselineOptimizers.create("rmsprop", 0.1, LAYOUT);
    assertEquals(new RmsProp.Config(0.1, 0.95, 1e-8), rms.config());
    Lion lion = (Lion) BaselineOptimizers.create("lion", 0.1, LAYOUT);
    assertEquals(new Lion.Config(0.1, 0.9, 0.99, 0.0), lion.config());
  }

  @Test
  void unknownNameIsAUserErrorListingTheKnownOnes() {
    UserError e = assertThrows(UserError.class, () -> BaselineOptimizers.create("xyz", 0.1, LAYOUT));
    assertEquals("unknown optimizer 'xyz'; known: sgd, momentum, nesterov, rmsprop, adam, adamw, lion, "
        + "adam-cosine, adamw-cosine, nesterov-cosine, muon, or a path to an optimizer version file", e.getMessage());
    assertThrows(UserError.class, () -> BaselineOptimizers.defaultLearningRateGrid("xyz"));
    assertThrows(UserError.class, () -> BaselineOptimizers.create(null, 0.1, LAYOUT));
  }

  @ParameterizedTest
  @ValueSource(doubles = {0.0, -0.1, Double.NaN, Double.POSITIVE_INFINITY})
  void nonPositiveOrNonFiniteLearningRateIsAUserErrorNamingTheValue(double lr) {
    UserError e = assertThrows(UserError.class, () -> BaselineOptimizers.create("adam", lr, LAYOUT));
    assertTrue(e.getMessage().contains(String.valueOf(lr)), e.getMessage());
  }

  @Test
  void gridsAreLogSpacedAtThreePointsPerDecade() {
    for (String name : BaselineOptimizers.names()) {
      double[] grid = BaselineOptimizers.defaultLearningRateGrid(name);
      assertEquals(16, grid.length, name);
      for (int i = 1; i < grid.length; i++) {
        assertEquals(Math.pow(10, 1.0 / 3), grid[i] / grid[i - 1], 1e-12, name);
      }
    }
  }

  @Test
  void everyGridSpansOneHundredThousandthToOne() {
    for (String name : BaselineOptimizers.names()) {
      assertRange(name, 1e-5, 1);
      double[] grid = BaselineOptimizers.defaultLearningRateGrid(name);
      double lr = BaselineOptimizers.defaultLearningRate(name);
      assertTrue(lr >= grid[0] && lr <= grid[grid.length - 1], name + ": default " + lr + " outside its grid");
    }
  }

  private static void assertRange(String name, double lo, double hi) {
    double[] grid = BaselineOptimizers.defaultLearningRateGrid(name);
    assertEquals(lo, grid[0], lo * 1e-12, name);
    assertEquals(hi, grid[grid.length - 1], hi * 1e-12, name);
  }
}
