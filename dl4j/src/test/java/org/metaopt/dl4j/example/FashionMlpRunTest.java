package org.metaopt.dl4j.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.metaopt.core.data.DataSplits;
import org.metaopt.core.data.SplitSizes;
import org.metaopt.core.data.TeacherStudent;
import org.metaopt.dl4j.LearnedUpdater;
import org.nd4j.linalg.learning.config.Adam;

/** The dl4j-example comparison on small synthetic data: both optimizers train, in order, and learn. */
class FashionMlpRunTest {

  @Test
  void bothOptimizersTrainOnTheSameBatchesAndBeatChance() {
    DataSplits data = new TeacherStudent(20, 4, 16, new SplitSizes(512, 0, 256), 3).generate();
    LearnedUpdater celo2 = LearnedUpdater.load(Path.of("..", "pretrained", "celo2.json")).withTotalSteps(60);
    List<FashionMlpRun.Result> results = FashionMlpRun.compare(List.of(
        new FashionMlpRun.Contender("celo2", celo2, List.of()),
        new FashionMlpRun.Contender("adam", new Adam(1e-2), List.of())), data, 60, 32, 1);
    assertEquals(List.of("celo2", "adam"), results.stream().map(FashionMlpRun.Result::optimizer).toList());
    for (FashionMlpRun.Result r : results) {
      assertEquals(60, r.steps());
      assertTrue(r.testAccuracy() > 0.4, r.toString());
      assertTrue(r.trainLoss() < Math.log(4), r.toString());
      assertTrue(r.msPerStep() > 0, r.toString());
    }
  }
}
