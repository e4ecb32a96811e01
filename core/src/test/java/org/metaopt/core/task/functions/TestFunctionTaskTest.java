package org.metaopt.core.task.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.metaopt.core.task.Batch;
import org.metaopt.core.task.TaskChecks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class TestFunctionTaskTest {

  static Stream<TestFunction> functions() {
    return TestFunctions.all().stream();
  }

  private static TestFunctionTask task(TestFunction f) {
    int dim = f.fixedDimension() > 0 ? f.fixedDimension() : 5;
    return new TestFunctionTask(f.name(), f, dim);
  }

  @ParameterizedTest
  @MethodSource("functions")
  void gradientMatchesFiniteDifferences(TestFunction f) {
    TestFunctionTask t = task(f);
    for (long seed = 1; seed <= 3; seed++) {
      float[] w = t.initialParams(seed);
      // Double-precision function of float parameters; eps 1e-4 keeps the O(eps^2 f''') truncation error (Rastrigin:
      // f''' ~ 2.5e3) well below the 1e-3 relative tolerance.
      TaskChecks.assertGradientMatchesFiniteDifferences(t, w, Batch.full(0), 1e-4, 1e-3, 1e-3);
    }
  }

  @ParameterizedTest
  @MethodSource("functions")
  void hessianVectorProductMatchesFiniteDifferencesOfGradients(TestFunction f) {
    TestFunctionTask t = task(f);
    float[] w = t.initialParams(11);
    // Exact products against float FD of gradients (step 1e-3): 1e-2 relative.
    TaskChecks.assertHessianVectorProductMatchesFiniteDifferences(t, w, Batch.full(0), 1e-3, 1e-2, 1e-3);
  }

  @ParameterizedTest
  @MethodSource("functions")
  void globalMinimumIsZero(TestFunction f) {
    int dim = f.fixedDimension() > 0 ? f.fixedDimension() : 4;
    double[] x = new double[dim];
    double fill = switch (f.name()) {
      case "rosenbrock" -> 1.0;
      case "styblinski-tang" -> -2.903534027771178;
      default -> 0.0;
    };
    java.util.Arrays.fill(x, fill);
    if (f.name().equals("beale")) {
      x = new double[] {3, 0.5};
    } else if (f.name().equals("booth")) {
      x = new double[] {1, 3};
    }
    assertEquals(0.0, f.value(x), 1e-9, f.name());
    double[] g = new double[dim];
    f.valueAndGradient(x, g);
    for (double gi : g) {
      assertEquals(0.0, gi, 1e-6, f.name() + " gradient at minimum");
    }
  }

  @Test
  void twoDimensionalFunctionsRejectOtherDimensions() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new TestFunctionTask("b", TestFunctions.byName("beale"), 3));
    assertTrue(e.getMessage().contains("only for dim 2"), e.getMessage());
  }

  @Test
  void exactnessIsReportedPerFunction() {
    assertTrue(task(TestFunctions.byName("rosenbrock")).hasExactHessianVectorProduct());
    assertTrue(!task(TestFunctions.byName("ackley")).hasExactHessianVectorProduct());
  }
}
