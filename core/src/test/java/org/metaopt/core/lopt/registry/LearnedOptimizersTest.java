package org.metaopt.core.lopt.registry;


import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.metaopt.core.UserError;
import org.metaopt.core.lopt.LearnedOptimizer;

/** The registry: names, hyperparameter parsing and its error messages. */
class LearnedOptimizersTest {

  @Test
  void createsEveryArchitectureByNameWithItsDefaults() {
    for (String name : LearnedOptimizers.architectures()) {
      LearnedOptimizer lo = LearnedOptimizers.create(name.toUpperCase(), Map.of());
      assertEquals(name, lo.architecture());
      assertEquals(lo.hyperparameters().keySet(),
          LearnedOptimizers.create(name, lo.hyperparameters()).hyperparameters().keySet());
    }
  }

  @Test
  void hyperparametersChangeTheLayoutAndAcceptNumericStrings() {
    LearnedOptimizer small = LearnedOptimizers.create("mlp-lopt", Map.of("hiddenSize", "8", "hiddenLayers", 1));
    assertEquals(8 * 19 + 8 + 2 * 8 + 2, small.numMetaParams());
    assertEquals(1762, LearnedOptimizers.create("mlp-lopt", Map.of()).numMetaParams());
    assertEquals(5141, LearnedOptimizers.create("l2o-dm", Map.of()).numMetaParams());
    assertEquals(6641, LearnedOptimizers.create("rnnprop", Map.of()).numMetaParams());
    LearnedOptimizer ss = LearnedOptimizers.create("step-size", Map.of("initialStepSize", 0.03));
    assertEquals(Math.log(0.03), ss.initialMetaParams(0)[0], 1e-6);
  }

  @Test
  void rejectsUnknownNamesAndHyperparametersWithTheKnownOnes() {
    UserError e = assertThrows(UserError.class, () -> LearnedOptimizers.create("adamw-lopt", Map.of()));
    assertTrue(e.getMessage().contains("mlp-lopt"), e.getMessage());
    e = assertThrows(UserError.class, () -> LearnedOptimizers.create("l2o-dm", Map.of("hidden", 3)));
    assertTrue(e.getMessage().contains("hiddenSize"), e.getMessage());
    e = assertThrows(UserError.class, () -> LearnedOptimizers.create("rnnprop", Map.of("beta1", 1.5)));
    assertTrue(e.getMessage().contains("beta1"), e.getMessage());
  }

  @Test
  void createRejectsThetaOfTheWrongLengthOrNonFinite() {
    LearnedOptimizer lo = LearnedOptimizers.create("rnnprop", Map.of());
    var layout = org.metaopt.core.tensor.ParamLayout.vector("w", 3);
    assertThrows(IllegalArgumentException.class, () -> lo.create(new float[5], layout, 0));
    float[] theta = lo.initialMetaParams(1);
    theta[7] = Float.NaN;
    assertThrows(IllegalArgumentException.class, () -> lo.create(theta, layout, 0));
  }

  private static org.metaopt.core.version.OptimizerVersion version(String arch, Map<String, Object> hyper, int theta) {
    return org.metaopt.core.version.OptimizerVersion.of(5, 4, arch, hyper, new float[theta], null,
        new org.metaopt.core.version.OptimizerVersion.Provenance("cfg", "PES", Map.of(), java.util.List.of(), 0, "dev",
            "2026-11-22T00:00:00Z", 0, "kafka"));
  }

  @Test
  void aVersionFitsOnlyTheArchitectureHyperparametersAndThetaLengthOfTheConfig() {
    LearnedOptimizer lo = LearnedOptimizers.create("mlp-lopt", Map.of("hiddenSize", 8));
    // recorded hyperparameters may come back with other number types (a JSON round trip): still a fit
    Map<String, Object> recorded = new java.util.HashMap<>(lo.hyperparameters());
    recorded.put("hiddenSize", 8.0);
    LearnedOptimizers.requireFits(lo, version("mlp-lopt", recorded, lo.numMetaParams()), "t.versions", "m.yaml");

    UserError e = assertThrows(UserError.class, () -> LearnedOptimizers.requireFits(lo,
        version("l2o-dm", Map.of(), 5141), "t.versions", "m.yaml"));
    assertTrue(e.getMessage().startsWith("version 5 on t.versions does not fit m.yaml: it is l2o-dm, the config "
        + "builds mlp-lopt"), e.getMessage());
    e = assertThrows(UserError.class, () -> LearnedOptimizers.requireFits(lo,
        version("mlp-lopt", Map.of(), 1762), "t.versions", "m.yaml"));
    assertTrue(e.getMessage().contains("hiddenSize=32") && e.getMessage().contains("hiddenSize=8"), e.getMessage());
    e = assertThrows(UserError.class, () -> LearnedOptimizers.requireFits(lo,
        version("mlp-lopt", lo.hyperparameters(), lo.numMetaParams() + 160), "t.versions", "m.yaml"));
    assertTrue(e.getMessage().contains("θ has " + (lo.numMetaParams() + 160) + " values, mlp-lopt here needs "
        + lo.numMetaParams()), e.getMessage());
    assertTrue(e.getMessage().contains("another --topic-prefix"), e.getMessage());
  }
}
