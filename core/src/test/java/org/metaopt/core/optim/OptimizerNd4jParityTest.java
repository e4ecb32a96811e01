package org.metaopt.core.optim;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.IUpdater;

/**
 * Our SGD, Nesterov, RMSProp and Adam follow ND4J's own updaters step for step: the same 100 gradients on
 * 1000 parameters, applied as ND4J's training loop does ({@code applyUpdater(g, iteration, 0)} then
 * {@code params.subi(g)}), end within {@value #TOLERANCE} of each other, relative ({@code |ours - nd4j| /
 * (1 + |nd4j|)}, per parameter). Both sides compute in float; SGD, Nesterov and RMSProp agree bit for bit
 * (same operations in the same order), Adam to about 2e-7 (its step size is computed in double here).
 */
class OptimizerNd4jParityTest {
  static final double TOLERANCE = 1e-6;
  static final int N = 1000;
  static final int STEPS = 100;

  @Test
  void sgdMatchesNd4jSgdUpdater() {
    assertMatches(new Sgd(new Sgd.Config(0.05), N), new org.nd4j.linalg.learning.config.Sgd(0.05));
  }

  @Test
  void nesterovMatchesNd4jNesterovsUpdater() {
    assertMatches(new Nesterov(new Nesterov.Config(0.01, 0.9), N), new org.nd4j.linalg.learning.config.Nesterovs(0.01, 0.9));
  }

  @Test
  void nesterovMatchesNd4jAtLowMomentum() {
    assertMatches(new Nesterov(new Nesterov.Config(0.02, 0.5), N), new org.nd4j.linalg.learning.config.Nesterovs(0.02, 0.5));
  }

  @Test
  void rmsPropMatchesNd4jRmsPropUpdater() {
    assertMatches(new RmsProp(new RmsProp.Config(1e-3, 0.95, 1e-8), N),
        new org.nd4j.linalg.learning.config.RmsProp(1e-3, 0.95, 1e-8));
  }

  @Test
  void rmsPropMatchesNd4jWithLargeEpsilon() {
    assertMatches(new RmsProp(new RmsProp.Config(1e-2, 0.9, 1e-3), N),
        new org.nd4j.linalg.learning.config.RmsProp(1e-2, 0.9, 1e-3));
  }

  @Test
  void adamMatchesNd4jAdamUpdater() {
    assertMatches(new Adam(Adam.Config.defaults(1e-2), N),
        new org.nd4j.linalg.learning.config.Adam(1e-2, 0.9, 0.999, 1e-8));
  }

  @Test
  void adamMatchesNd4jWithLargeEpsilonWhereItsPlacementMatters() {
    assertMatches(new Adam(new Adam.Config(1e-2, 0.8, 0.99, 1e-2), N),
        new org.nd4j.linalg.learning.config.Adam(1e-2, 0.8, 0.99, 1e-2));
  }

  private static void assertMatches(Optimizer ours, IUpdater theirs) {
    float[] init = GradientSequence.initialParams(1, N);
    float[][] grads = GradientSequence.gradients(2, STEPS, N);
    float[] expected = runNd4j(theirs, init, grads);
    float[] actual = GradientSequence.run(ours, init, grads);
    double diff = GradientSequence.maxRelativeDiff(actual, expected);
    assertTrue(diff < TOLERANCE, ours.name() + " differs from ND4J by " + diff + " (relative)");
    // and the run did something: the parameters moved well beyond the tolerance
    double moved = GradientSequence.maxRelativeDiff(expected, init);
    assertTrue(moved > 1000 * TOLERANCE, "parameters barely moved: " + moved);
  }

  private static float[] runNd4j(IUpdater config, float[] init, float[][] grads) {
    INDArray params = Nd4j.createFromArray(init.clone());
    long stateSize = config.stateSize(init.length);
    INDArray state = stateSize == 0 ? null : Nd4j.zeros(DataType.FLOAT, 1, stateSize);
    GradientUpdater<?> updater = config.instantiate(state, true);
    for (int t = 0; t < grads.length; t++) {
      INDArray g = Nd4j.createFromArray(grads[t].clone());
      updater.applyUpdater(g, t, 0);
      params.subi(g);
    }
    return params.toFloatVector();
  }
}
