package org.metaopt.core.meta.stepsize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Meta-gradient descent on the step size reaches the grid optimum; train-by-validation generalizes. */
class StepSizeMetaTrainingTest {

  @Test
  void metaTrainingOverFreshTasksConvergesWithinOnePercentOfGridBest() {
    StepSizeMetaTraining.Config cfg = StepSizeMetaTraining.Config.paper();
    assertEquals(20, cfg.dim());
    assertEquals(80, cfg.horizon());
    assertEquals(0.1, cfg.eta0());
    StepSizeMetaTraining.Result r = StepSizeMetaTraining.run(cfg);
    assertTrue(r.trace().size() <= 300);
    assertTrue(r.relativeError() <= 0.01, "final " + r.finalEta() + " vs grid " + r.gridBestEta());
    assertTrue(r.settledWithinOnePercentAt() > 0);
  }

  @Test
  void metaTrainingOnOneFixedTaskConvergesWithinOnePercentOfItsGridBest() {
    StepSizeMetaTraining.Config p = StepSizeMetaTraining.Config.paper();
    StepSizeMetaTraining.Config cfg = new StepSizeMetaTraining.Config(p.dim(), p.conditionNumber(), p.horizon(),
        p.eta0(), p.alpha0(), 300, 1, false, 1, 2000, 5L);
    StepSizeMetaTraining.Result r = StepSizeMetaTraining.run(cfg);
    assertTrue(r.relativeError() <= 0.01, "final " + r.finalEta() + " vs grid " + r.gridBestEta());
  }

  @Test
  void trainByValidationPicksSmallerStepAndGeneralizesBetterUnderNoise() {
    LeastSquaresStepSizeStudy.Config cfg = new LeastSquaresStepSizeStudy.Config(200, 100, 40, 1.0, 20, 500, 1e-3, 1.0,
        41, 11L);
    List<LeastSquaresStepSizeStudy.Row> rows = LeastSquaresStepSizeStudy.run(cfg);
    LeastSquaresStepSizeStudy.Row tbt = rows.get(0);
    LeastSquaresStepSizeStudy.Row tbv = rows.get(1);
    assertEquals(LeastSquaresStepSizeStudy.MetaObjective.TRAIN_BY_TRAIN, tbt.objective());
    assertTrue(tbv.eta() < tbt.eta() / 10, "eta tbv " + tbv.eta() + " tbt " + tbt.eta());
    assertTrue(tbv.testLoss() < tbt.testLoss(), "test tbv " + tbv.testLoss() + " tbt " + tbt.testLoss());
    assertTrue(tbv.excessRisk() < tbt.excessRisk());
    assertTrue(tbt.trainLoss() < tbv.trainLoss(), "train-by-train fits its own samples better");
    assertEquals(rows, LeastSquaresStepSizeStudy.run(cfg), "deterministic from the seed");
  }
}
