package org.metaopt.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.metaopt.core.UserError;

class LinearRegressionDataTest {

  @Test
  void noiselessTargetsEqualInnerProductWithTrueWeights() {
    LinearRegressionData.Problem p = new LinearRegressionData(30, new SplitSizes(200, 50, 100), 0.0, 11L).generate();
    for (Dataset d : new Dataset[] {p.splits().train(), p.splits().validation(), p.splits().test()}) {
      for (int i = 0; i < d.size(); i++) {
        double dot = 0;
        for (int j = 0; j < 30; j++) {
          dot += p.wStar()[j] * d.features()[i * 30 + j];
        }
        assertEquals(dot, d.targets()[i], 1e-5, d.name() + " example " + i);
      }
    }
  }

  @Test
  void noisyTargetsDeviateByAboutTheNoiseLevel() {
    LinearRegressionData.Problem p = new LinearRegressionData(10, new SplitSizes(4000, 0, 0), 0.5, 2L).generate();
    Dataset d = p.splits().train();
    double sq = 0;
    for (int i = 0; i < d.size(); i++) {
      double dot = 0;
      for (int j = 0; j < 10; j++) {
        dot += p.wStar()[j] * d.features()[i * 10 + j];
      }
      sq += (d.targets()[i] - dot) * (d.targets()[i] - dot);
    }
    assertEquals(0.5, Math.sqrt(sq / d.size()), 0.05);
  }

  @Test
  void trueWeightsHaveRoughlyUnitNorm() {
    float[] w = new LinearRegressionData(1000, new SplitSizes(1, 0, 0), 0.1, 5L).generate().wStar();
    double sq = 0;
    for (float v : w) {
      sq += v * v;
    }
    assertEquals(1.0, Math.sqrt(sq), 0.1);
  }

  @Test
  void sameSeedGivesSameProblemAndOtherSeedsDiffer() {
    SplitSizes sizes = new SplitSizes(20, 5, 5);
    LinearRegressionData.Problem a = new LinearRegressionData(4, sizes, 0.1, 1L).generate();
    LinearRegressionData.Problem b = new LinearRegressionData(4, sizes, 0.1, 1L).generate();
    assertArrayEquals(a.wStar(), b.wStar());
    assertArrayEquals(a.splits().train().targets(), b.splits().train().targets());
    assertFalse(Arrays.equals(a.wStar(), new LinearRegressionData(4, sizes, 0.1, 2L).generate().wStar()));
    assertTrue(a.splits().train().targets() != null && !a.splits().train().isClassification());
  }

  @Test
  void rejectsNegativeNoiseAndZeroDimension() {
    assertThrows(UserError.class, () -> new LinearRegressionData(4, new SplitSizes(1, 0, 0), -0.1, 1L));
    assertThrows(UserError.class, () -> new LinearRegressionData(4, new SplitSizes(1, 0, 0), Double.NaN, 1L));
    assertThrows(UserError.class, () -> new LinearRegressionData(0, new SplitSizes(1, 0, 0), 0.1, 1L));
  }
}
