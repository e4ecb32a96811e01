package org.metaopt.ops.pipeline;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** The demo's configs shipped in the jar: meta.yaml, tasks.yaml and heldout.yaml, Fashion-MNIST or synthetic. */
public final class DemoConfigs {
  private DemoConfigs() {}

  /** Writes the three files into {@code dir} and returns it. */
  public static Path write(Path dir, boolean fashion) throws IOException {
    Files.createDirectories(dir);
    copy("meta.yaml", dir.resolve("meta.yaml"));
    copy(fashion ? "tasks-fashion.yaml" : "tasks-synthetic.yaml", dir.resolve("tasks.yaml"));
    copy(fashion ? "heldout-fashion.yaml" : "heldout-synthetic.yaml", dir.resolve("heldout.yaml"));
    return dir;
  }

  private static void copy(String resource, Path to) throws IOException {
    try (InputStream in = DemoConfigs.class.getResourceAsStream("/org/metaopt/ops/demo/" + resource)) {
      if (in == null) {
        throw new IllegalStateException("demo resource " + resource + " missing from the jar");
      }
      Files.copy(in, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
