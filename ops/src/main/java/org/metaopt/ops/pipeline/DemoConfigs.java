package org.metaopt.ops.pipeline;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The demo's configs shipped in the jar: meta.yaml, tasks.yaml and heldout.yaml, Fashion-MNIST or synthetic. Two
 * meta-training configs: {@link Meta#CELO2} (the demo's default, online learning from the shipped celo2) and
 * {@link Meta#MLP_LOPT} (small and fast: the pipeline tests and {@code bench-pipeline}'s end-to-end phases).
 */
public final class DemoConfigs {
  private DemoConfigs() {}

  /** Which meta-training config {@code meta.yaml} holds. */
  public enum Meta {
    MLP_LOPT("meta.yaml"),
    CELO2("meta-celo2.yaml");

    final String resource;

    Meta(String resource) {
      this.resource = resource;
    }
  }

  /** Writes the three files into {@code dir} with the mlp-lopt meta-training config and returns it. */
  public static Path write(Path dir, boolean fashion) throws IOException {
    return write(dir, fashion, Meta.MLP_LOPT);
  }

  /** Writes the three files into {@code dir} ({@code meta.yaml} from {@code meta}) and returns it. */
  public static Path write(Path dir, boolean fashion, Meta meta) throws IOException {
    Files.createDirectories(dir);
    copy(meta.resource, dir.resolve("meta.yaml"));
    writeTasks(dir, fashion, meta);
    copy("heldout-" + kind(fashion, meta) + ".yaml", dir.resolve("heldout.yaml"));
    return dir;
  }

  /**
   * Writes {@code dir/tasks.yaml}: the task stream of {@code meta}'s demo (celo2: small nets of 300 nominal steps;
   * mlp-lopt: cheap 100-step quadratics, nets and test functions), Fashion-MNIST or synthetic.
   */
  public static void writeTasks(Path dir, boolean fashion, Meta meta) throws IOException {
    copy("tasks-" + kind(fashion, meta) + ".yaml", dir.resolve("tasks.yaml"));
  }

  private static String kind(boolean fashion, Meta meta) {
    return (meta == Meta.CELO2 ? "celo2-" : "") + (fashion ? "fashion" : "synthetic");
  }

  /** The shipped celo2 version file ({@code pretrained/celo2.json}, bundled in the jar at build time). */
  public static org.metaopt.core.version.OptimizerVersion shippedCelo2() throws IOException {
    try (InputStream in = DemoConfigs.class.getResourceAsStream("/org/metaopt/ops/pretrained/celo2.json")) {
      if (in == null) {
        throw new IllegalStateException("pretrained/celo2.json missing from the jar (ops/pom.xml bundles it)");
      }
      Path tmp = Files.createTempFile("celo2", ".json");
      try {
        Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
        return org.metaopt.core.version.VersionFiles.read(tmp);
      } finally {
        Files.deleteIfExists(tmp);
      }
    }
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
