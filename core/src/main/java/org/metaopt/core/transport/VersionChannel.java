package org.metaopt.core.transport;

import java.util.Optional;
import org.metaopt.core.version.OptimizerVersion;

/** Published optimizer versions: the learner publishes, workers and evaluators read the latest. Thread-safe. */
public interface VersionChannel {

  /** Makes {@code version} the latest (versions only move forward). */
  void publish(OptimizerVersion version);

  /** The latest published version, if any. */
  Optional<OptimizerVersion> latest();
}
