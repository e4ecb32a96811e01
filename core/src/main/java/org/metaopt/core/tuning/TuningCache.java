package org.metaopt.core.tuning;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * Tuned learning rates on disk, one JSON file per (task spec hash, optimizer, steps, grid, seed) key under
 * {@code <dir>/tuning/}. Writes are atomic (temp file + rename), so concurrent tuners never see half a file; an
 * unreadable entry is treated as missing and overwritten. Thread-safe.
 */
public final class TuningCache {
  private static final ObjectMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
  private final Path dir;

  public TuningCache(Path cacheRoot) {
    this.dir = cacheRoot.resolve("tuning");
  }

  /** {@code $METAOPT_CACHE}, else {@code ~/.cache/metaopt}. */
  public static Path defaultRoot() {
    String env = System.getenv("METAOPT_CACHE");
    if (env != null && !env.isBlank()) {
      return Path.of(env);
    }
    return Path.of(System.getProperty("user.home"), ".cache", "metaopt");
  }

  public Path directory() {
    return dir;
  }

  Path file(String key) {
    return dir.resolve(key + ".json");
  }

  public Optional<TuningResult> get(String key) {
    Path f = file(key);
    if (!Files.isRegularFile(f)) {
      return Optional.empty();
    }
    try {
      return Optional.of(JSON.readValue(f.toFile(), TuningResult.class));
    } catch (IOException e) {
      return Optional.empty(); // corrupt or from an older format: recompute
    }
  }

  public void put(String key, TuningResult result) {
    try {
      Files.createDirectories(dir);
      Path tmp = Files.createTempFile(dir, key, ".tmp");
      JSON.writeValue(tmp.toFile(), result);
      try {
        Files.move(tmp, file(key), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file(key), StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new org.metaopt.core.UserError("cannot write the tuning cache under " + dir + ": " + e.getMessage()
          + " (set METAOPT_CACHE to a writable folder)", e);
    }
  }
}
