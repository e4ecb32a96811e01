package org.metaopt.evaluator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import org.metaopt.core.spec.SpecHash;
import org.metaopt.core.spec.TaskSpec;

/**
 * A baseline's score on a task, kept on disk under {@code <root>/scores/}: a baseline at its tuned rate on the
 * evaluation seeds is a deterministic function of the spec, the rate and the seeds, so evaluating several learned
 * optimizers against the same suite runs the baselines once. The key holds the spec's hash, the baseline, its rate,
 * the seeds, whether flatness was measured and {@link #SCHEME} (bumped when scoring changes). Writes are atomic; an
 * unreadable entry is recomputed. Thread-safe.
 */
public final class BaselineScoreCache {
  /** Bumped whenever how a score is computed changes. */
  static final int SCHEME = 1;
  private static final ObjectMapper JSON = JsonMapper.builder().build();
  private final Path dir;

  public BaselineScoreCache(Path cacheRoot) {
    this.dir = cacheRoot.resolve("scores");
  }

  static String key(TaskSpec spec, String baseline, double lr, int seeds, boolean flatness) {
    return SpecHash.sha256(SpecHash.of(spec) + "|" + baseline + "|" + lr + "|" + seeds + "|" + flatness + "|" + SCHEME);
  }

  Optional<TaskScore> get(String key) {
    Path f = dir.resolve(key + ".json");
    if (!Files.isRegularFile(f)) {
      return Optional.empty();
    }
    try {
      return Optional.of(JSON.readValue(f.toFile(), TaskScore.class));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  void put(String key, TaskScore score) {
    try {
      Files.createDirectories(dir);
      Path tmp = Files.createTempFile(dir, key, ".tmp");
      JSON.writeValue(tmp.toFile(), score);
      try {
        Files.move(tmp, dir.resolve(key + ".json"), StandardCopyOption.ATOMIC_MOVE,
            StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, dir.resolve(key + ".json"), StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new org.metaopt.core.UserError("cannot write the score cache under " + dir + ": " + e.getMessage()
          + " (set METAOPT_CACHE to a writable folder)", e);
    }
  }
}
