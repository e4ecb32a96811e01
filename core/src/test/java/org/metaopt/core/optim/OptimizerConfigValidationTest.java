package org.metaopt.core.optim;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Every baseline's config record rejects out-of-range hyperparameters, naming field, value and range. */
class OptimizerConfigValidationTest {

  @Test
  void rejectsNonPositiveLearningRates() {
    assertRejected("learningRate", "0.0", () -> new Sgd.Config(0));
    assertRejected("learningRate", "-1.0", () -> new Momentum.Config(-1, 0.9));
    assertRejected("learningRate", "NaN", () -> new Nesterov.Config(Double.NaN, 0.9));
    assertRejected("learningRate", "Infinity", () -> new RmsProp.Config(Double.POSITIVE_INFINITY, 0.9, 1e-8));
    assertRejected("learningRate", "0.0", () -> Adam.Config.defaults(0));
    assertRejected("learningRate", "0.0", () -> AdamW.Config.defaults(0));
    assertRejected("learningRate", "0.0", () -> Lion.Config.defaults(0));
  }

  @Test
  void rejectsDecayRatesOutsideZeroToOne() {
    assertRejected("momentum", "1.0", () -> new Momentum.Config(0.1, 1));
    assertRejected("momentum", "-0.1", () -> new Nesterov.Config(0.1, -0.1));
    assertRejected("decay", "1.5", () -> new RmsProp.Config(0.1, 1.5, 1e-8));
    assertRejected("beta1", "1.0", () -> new Adam.Config(0.1, 1, 0.999, 1e-8));
    assertRejected("beta2", "NaN", () -> new Adam.Config(0.1, 0.9, Double.NaN, 1e-8));
    assertRejected("beta2", "1.0", () -> new AdamW.Config(0.1, 0.9, 1, 1e-8, 0));
    assertRejected("beta1", "-0.5", () -> new Lion.Config(0.1, -0.5, 0.99, 0));
    assertRejected("beta2", "2.0", () -> new Lion.Config(0.1, 0.9, 2, 0));
  }

  @Test
  void rejectsNonPositiveEpsilonAndNegativeWeightDecay() {
    assertRejected("epsilon", "0.0", () -> new RmsProp.Config(0.1, 0.9, 0));
    assertRejected("epsilon", "-1.0E-8", () -> new Adam.Config(0.1, 0.9, 0.999, -1e-8));
    assertRejected("epsilon", "0.0", () -> new AdamW.Config(0.1, 0.9, 0.999, 0, 0.01));
    assertRejected("weightDecay", "-0.01", () -> new AdamW.Config(0.1, 0.9, 0.999, 1e-8, -0.01));
    assertRejected("weightDecay", "Infinity", () -> new Lion.Config(0.1, 0.9, 0.99, Double.POSITIVE_INFINITY));
  }

  @Test
  void rejectsNegativeSizes() {
    assertRejected("size", "-1", () -> new Adam(Adam.Config.defaults(0.1), -1));
  }

  private static void assertRejected(String field, String value, Executable construct) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, construct);
    String msg = e.getMessage();
    assertTrue(msg.startsWith(field + " ") && msg.contains(value) && (msg.contains(">") || msg.contains("[")),
        "message should name field '" + field + "', value " + value + " and the range: " + msg);
  }
}
