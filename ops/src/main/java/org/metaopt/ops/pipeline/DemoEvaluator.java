package org.metaopt.ops.pipeline;

import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.metaopt.core.spec.SuiteSpec;
import org.metaopt.evaluator.EvaluatorService;
import org.metaopt.evaluator.SuiteEvaluator;
import org.metaopt.stream.kafka.KafkaSettings;
import org.metaopt.stream.wire.EvaluationRecord;

/**
 * The demo's evaluator: an {@link EvaluatorService} (tuned adam and adam-cosine baselines, 2 seeds) on a daemon
 * thread that appends every evaluation to evaluations.jsonl and says how each version did.
 */
final class DemoEvaluator {
  private final JsonLinesFile evaluations;
  private final EvaluatorService service;
  private final Thread thread;

  private DemoEvaluator(KafkaSettings kafka, SuiteSpec heldOut, SuiteEvaluator suiteEvaluator, int evaluateEvery,
      int seeds, Map<String, Object> deployment, Path runDir, MeterRegistry registry, Consumer<String> say)
      throws IOException {
    this.evaluations = new JsonLinesFile(runDir.resolve("evaluations.jsonl"));
    this.service = new EvaluatorService(kafka, heldOut, suiteEvaluator, List.of("adam", "adam-cosine"),
        evaluateEvery, seeds, runDir, new Listener(say)).deployWith(deployment);
    if (registry != null) {
      service.metrics(registry);
    }
    this.thread = new Thread(() -> {
      try {
        service.run();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "metaopt-evaluator");
    thread.setDaemon(true);
  }

  /**
   * Creates the evaluator (its meters in {@code registry} unless null) and starts its thread: every
   * {@code evaluateEvery}-th version on {@code seeds} evaluation seeds (the same problem instances for every
   * version), scored with {@code deployment} over each version's hyperparameters.
   */
  static DemoEvaluator start(KafkaSettings kafka, SuiteSpec heldOut, SuiteEvaluator suiteEvaluator,
      int evaluateEvery, int seeds, Map<String, Object> deployment, Path runDir, MeterRegistry registry,
      Consumer<String> say) throws IOException {
    DemoEvaluator e = new DemoEvaluator(kafka, heldOut, suiteEvaluator, evaluateEvery, seeds, deployment, runDir,
        registry, say);
    e.thread.start();
    return e;
  }

  EvaluatorService service() {
    return service;
  }

  /** Stops the evaluator (it scores the newest version first) and waits up to 600 s for its thread. */
  void stop() throws InterruptedException {
    service.close();
    thread.join(600_000);
  }

  void closeEvaluations() throws IOException {
    evaluations.close();
  }

  private final class Listener implements EvaluatorService.Listener {
    private final Consumer<String> say;

    Listener(Consumer<String> say) {
      this.say = say;
    }

    @Override
    public void onBaselinesReady(int tasks) {
      say.accept("evaluator: tuned adam and adam-cosine ready on " + tasks + " held-out tasks");
    }

    @Override
    public void onWaiting(String what) {
      say.accept("evaluator: " + what);
    }

    @Override
    public void onEvaluation(EvaluationRecord r, boolean newBest) {
      evaluations.append(r);
      say.accept(String.format("evaluator: version %d on held-out: win rate vs tuned Adam %.2f, geometric-mean "
          + "loss ratio %.3g%s", r.version(), r.winRateTrainLoss(), r.geometricMeanLossRatio(),
          newBest ? " (best so far)" : ""));
    }
  }
}
