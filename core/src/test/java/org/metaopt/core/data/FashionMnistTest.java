package org.metaopt.core.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

class FashionMnistTest {

  @Test
  void explicitDirectoryWinsOverEnvironment() {
    Path explicit = Path.of("/data/explicit");
    assertEquals(explicit, FashionMnist.resolveDir(explicit, Map.of("METAOPT_DATA", "/data/env")));
  }

  @Test
  void environmentVariableWinsOverDefault() {
    assertEquals(Path.of("/data/env"), FashionMnist.resolveDir(null, Map.of("METAOPT_DATA", "/data/env")));
  }

  @Test
  void defaultsToDebianInstallFolder() {
    assertEquals(Path.of("/usr/share/datasets/fashion-mnist"), FashionMnist.resolveDir(null, Map.of()));
    assertEquals(FashionMnist.DEFAULT_DIR, FashionMnist.resolveDir(null, Map.of("METAOPT_DATA", " ")));
  }

  @Test
  @Tag("slow")
  void loadsRealFashionMnistWithBalancedTrainLabels() {
    Path dir = FashionMnist.DEFAULT_DIR;
    Assumptions.assumeTrue(Files.exists(dir.resolve(ImageDataset.TRAIN_IMAGES + ".gz")),
        "dataset-fashion-mnist is not installed");
    RawImageSet raw = ImageDataset.load(dir, FashionMnist.DISPLAY_NAME);
    assertEquals(60000, raw.trainImages().count());
    assertEquals(10000, raw.testImages().count());
    assertEquals(28, raw.trainImages().rows());
    assertEquals(28, raw.trainImages().cols());
    int[] counts = new int[10];
    for (byte label : raw.trainLabels()) {
      counts[label & 0xFF]++;
    }
    for (int c = 0; c < 10; c++) {
      assertEquals(6000, counts[c], "train examples of class " + c);
    }

    DataSplits splits = ImageSplits.build(raw, new SplitSizes(50000, 10000, 10000),
        new ImageOptions(7, Normalization.STANDARDIZE), 1L);
    assertEquals(49, splits.train().numFeatures());
    assertEquals(10000, splits.test().size());
    assertEquals(10, splits.train().numClasses());
    DataSplits noValidation = ImageSplits.build(raw, new SplitSizes(100, 0, 100), ImageOptions.defaults(), 1L);
    assertNull(noValidation.validation());
    assertEquals(784, noValidation.train().numFeatures());
  }
}
