package org.metaopt.stream.wire;

import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * One chunk of a recorded training run: consecutive steps of a network trained outside metaopt's own loop (a
 * Deeplearning4j model with {@code MetaoptListener}), with the optimizer that trained it. Recorded runs share the
 * trajectories topic with segments; the meta-learner skips them (they carry no perturbation to estimate from), and
 * {@code export} and {@code metaopt runs} read them. Immutable; the arrays are not copied and must not be mutated.
 *
 * @param runId the run's id (the same on every chunk of one run)
 * @param chunk index of this chunk within the run, from 0
 * @param model what was trained ("MultiLayerNetwork 784-128-10")
 * @param numParams the model's parameter count
 * @param optimizer the optimizer's name ({@code celo2}, {@code Adam}...)
 * @param optimizerVersion the metaopt optimizer version number, or -1 for an optimizer that is not one
 * @param thetaSha256 the version's θ hash, or "" for none
 * @param stepOffset the iteration of the first step in this chunk
 * @param epoch the epoch at the chunk's last step
 * @param losses the minibatch loss (the network's score) per step
 * @param gradientNorms the L2 norm of the minibatch-mean gradient per step
 * @param gradientMaxAbs the largest absolute gradient entry per step
 * @param stepMillis wall time per step (from one gradient to the next), in milliseconds
 * @param last whether this is the run's last chunk
 * @param createdAt when the chunk was written (ISO-8601 UTC)
 */
public record RunRecord(String runId, int chunk, String model, long numParams, String optimizer,
    long optimizerVersion, String thetaSha256, long stepOffset, int epoch, float[] losses, float[] gradientNorms,
    float[] gradientMaxAbs, float[] stepMillis, boolean last, String createdAt) {

  public RunRecord {
    require(runId != null && !runId.isBlank(), "runId must be non-empty");
    require(chunk >= 0, "chunk " + chunk + " must be >= 0");
    require(model != null && optimizer != null && thetaSha256 != null, "model, optimizer and thetaSha256 are required");
    require(numParams >= 0, "numParams " + numParams + " must be >= 0");
    require(optimizerVersion >= -1, "optimizerVersion " + optimizerVersion + " must be >= -1");
    require(stepOffset >= 0, "stepOffset " + stepOffset + " must be >= 0");
    require(epoch >= 0, "epoch " + epoch + " must be >= 0");
    require(losses != null && gradientNorms != null && gradientMaxAbs != null && stepMillis != null,
        "per-step arrays are required");
    int n = losses.length;
    require(gradientNorms.length == n && gradientMaxAbs.length == n && stepMillis.length == n,
        "per-step arrays differ in length: losses " + n + ", gradientNorms " + gradientNorms.length
            + ", gradientMaxAbs " + gradientMaxAbs.length + ", stepMillis " + stepMillis.length);
    require(createdAt != null, "createdAt is required");
    try {
      Instant.parse(createdAt);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("createdAt '" + createdAt + "' is not an ISO-8601 UTC time");
    }
  }

  /** Steps in this chunk. */
  public int steps() {
    return losses.length;
  }

  /** One past the iteration of this chunk's last step. */
  public long stepEnd() {
    return stepOffset + losses.length;
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException("recorded run: " + message);
    }
  }
}
