package org.metaopt.dl4j.runs;

import java.time.Instant;
import java.util.Arrays;
import java.util.UUID;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.deeplearning4j.optimize.solvers.BaseOptimizer;
import org.metaopt.stream.kafka.KafkaSettings;
import org.metaopt.stream.wire.RunRecord;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A Deeplearning4j {@link org.deeplearning4j.optimize.api.TrainingListener} that records a training run for metaopt:
 * per step the loss (the network's score), the L2 norm and largest absolute entry of the minibatch-mean gradient, the
 * wall time since the previous step, and once per run the model and the optimizer (a {@code LearnedUpdater}'s
 * architecture, version and θ hash, or the DL4J updater's name). Steps are sent in chunks of {@code chunkSteps}
 * ({@link RunRecord}, on the trajectories topic: the meta-learner skips them; {@code metaopt runs} lists them and
 * {@code metaopt export} carries them). A chunk is also sent at each epoch's end, and {@link #close()} sends the last
 * one (flagged {@code last}) and closes the sink.
 *
 * <p>{@code net.setListeners(MetaoptListener.toKafka(KafkaSettings.of("127.0.0.1:9092")))}; close it when training
 * ends. Per step it runs two small reductions on the gradient (DL4J calls it just before the updater). Methods are
 * synchronized; DL4J calls it from the training thread.
 */
public final class MetaoptListener extends BaseTrainingListener implements AutoCloseable {
  /** Steps per chunk unless given. */
  public static final int DEFAULT_CHUNK_STEPS = 50;

  private final RunSink sink;
  private final String runId;
  private final String modelName;
  private final int chunkSteps;
  private final float[] losses;
  private final float[] gradientNorms;
  private final float[] gradientMaxAbs;
  private final float[] stepMillis;
  private RunIdentity identity;
  private int filled;
  private long chunkStart;
  /** One past the iteration of the last recorded step. */
  private long nextIteration;
  private int chunk;
  private int epoch;
  private long lastNanos;
  private boolean closed;

  /**
   * @param sink where chunks go
   * @param runId the run's id (null: a random UUID)
   * @param modelName what to call the model (null: derived from the network, e.g. "MultiLayerNetwork 784-128-10")
   * @param chunkSteps steps per chunk, in [1, 100000]
   */
  public MetaoptListener(RunSink sink, String runId, String modelName, int chunkSteps) {
    if (sink == null) {
      throw new IllegalArgumentException("MetaoptListener needs a sink");
    }
    if (chunkSteps < 1 || chunkSteps > 100_000) {
      throw new IllegalArgumentException("MetaoptListener chunkSteps " + chunkSteps + " must be in [1, 100000]");
    }
    this.sink = sink;
    this.runId = runId == null || runId.isBlank() ? UUID.randomUUID().toString() : runId;
    this.modelName = modelName;
    this.chunkSteps = chunkSteps;
    this.losses = new float[chunkSteps];
    this.gradientNorms = new float[chunkSteps];
    this.gradientMaxAbs = new float[chunkSteps];
    this.stepMillis = new float[chunkSteps];
  }

  /** A listener sending to the trajectories topic of {@code settings}' cluster, with a random run id. */
  public static MetaoptListener toKafka(KafkaSettings settings) {
    return new MetaoptListener(new KafkaRunSink(settings), null, null, DEFAULT_CHUNK_STEPS);
  }

  /** The run's id. */
  public String runId() {
    return runId;
  }

  @Override
  public synchronized void onGradientCalculation(Model model) {
    if (closed) {
      throw new IllegalStateException("MetaoptListener for run " + runId + " is closed; remove it from the network"
          + " or create a new one for a new run");
    }
    if (identity == null) {
      identity = RunIdentity.of(model, modelName);
    }
    long now = System.nanoTime();
    long iteration = BaseOptimizer.getIterationCount(model);
    if (filled == 0) {
      chunkStart = iteration;
    }
    nextIteration = iteration + 1;
    epoch = BaseOptimizer.getEpochCount(model);
    INDArray g = model.gradient().gradient();
    double batch = Math.max(1, model.batchSize());
    losses[filled] = (float) model.score();
    gradientNorms[filled] = (float) (g.norm2Number().doubleValue() / batch);
    gradientMaxAbs[filled] = (float) (g.amaxNumber().doubleValue() / batch);
    stepMillis[filled] = lastNanos == 0 ? Float.NaN : (float) ((now - lastNanos) / 1e6);
    lastNanos = now;
    if (++filled == chunkSteps) {
      flush(false);
    }
  }

  @Override
  public synchronized void onEpochEnd(Model model) {
    if (!closed && filled > 0) {
      flush(false);
    }
  }

  /** Sends the steps not sent yet as the run's last chunk and closes the sink; idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      if (identity != null) {
        flush(true);
      }
    } finally {
      sink.close();
    }
  }

  private void flush(boolean last) {
    sink.send(new RunRecord(runId, chunk++, identity.model(), identity.numParams(), identity.optimizer(),
        identity.version(), identity.thetaSha256(), filled == 0 ? nextIteration : chunkStart, epoch,
        Arrays.copyOf(losses, filled), Arrays.copyOf(gradientNorms, filled), Arrays.copyOf(gradientMaxAbs, filled),
        Arrays.copyOf(stepMillis, filled), last, Instant.now().toString()));
    filled = 0;
  }
}
