package org.metaopt.core.data;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where Fashion-MNIST lives: an explicit directory (from {@code --data-dir}), else the {@code METAOPT_DATA}
 * environment variable, else Debian's {@code dataset-fashion-mnist} install folder. Stateless; thread-safe.
 *
 * <p>Original MNIST uses the same file names and format: load it with
 * {@link ImageDataset#load(Path, String)} and a different directory and display name.
 */
public final class FashionMnist {

  /** Display name used in data set names and error messages. */
  public static final String DISPLAY_NAME = "Fashion-MNIST";
  /** Environment variable naming a folder that holds the four IDX files. */
  public static final String ENV_VAR = "METAOPT_DATA";
  /** Where Debian's {@code dataset-fashion-mnist} package installs the files. */
  public static final Path DEFAULT_DIR = Path.of("/usr/share/datasets/fashion-mnist");

  private FashionMnist() {
  }

  /** The data directory: {@code explicitDir} if not null, else {@code $METAOPT_DATA} if set, else the default. */
  public static Path resolveDir(Path explicitDir) {
    return resolveDir(explicitDir, System.getenv());
  }

  /** As {@link #resolveDir(Path)} with the environment given (for tests). */
  public static Path resolveDir(Path explicitDir, Map<String, String> env) {
    if (explicitDir != null) {
      return explicitDir;
    }
    String fromEnv = env.get(ENV_VAR);
    if (fromEnv != null && !fromEnv.isBlank()) {
      return Path.of(fromEnv.trim());
    }
    return DEFAULT_DIR;
  }

  /** Loads (or fetches from the cache) Fashion-MNIST from the resolved directory. */
  public static RawImageSet load(Path explicitDir) {
    return ImageDataset.load(resolveDir(explicitDir), DISPLAY_NAME);
  }
}
