package org.metaopt.evaluator;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.metaopt.stream.wire.EvaluationRecord;

/**
 * The evaluator's meters ({@code metaopt.evaluator.*}; reference in docs/metrics.md), updated once per published
 * evaluation on the evaluator thread. Per-task gauges are tagged {@code task} (the held-out suite's task names, a
 * fixed set per suite) and {@code optimizer} ({@code learned} or one of the configured baselines); a gauge appears
 * the first time its value is measured (a regression task has no test accuracy). Versions are gauge values, never
 * tags.
 */
final class EvaluatorMetrics {
  private final MeterRegistry registry;
  private final Counter evaluations;
  private final Timer time;
  private final double[] winRateTrainLoss = {Double.NaN};
  private final double[] winRateTestAccuracy = {Double.NaN};
  private final double[] lossRatio = {Double.NaN};
  private final double[] winRateVsBest = {Double.NaN};
  private final double[] winRateVsAdamCosine = {Double.NaN};
  private final double[] speedup = {Double.NaN};
  private final double[] version = {Double.NaN};
  private final double[] vsFirst = {Double.NaN, Double.NaN, Double.NaN};
  private final Map<String, double[]> perTask = new ConcurrentHashMap<>();

  EvaluatorMetrics(MeterRegistry r) {
    this.registry = r;
    evaluations = Counter.builder("metaopt.evaluator.evaluations")
        .description("Versions evaluated on the held-out suite and published").baseUnit("evaluations").register(r);
    time = Timer.builder("metaopt.evaluator.evaluation.time")
        .description("Wall time of one version's held-out evaluation (baselines are scored once and reused)")
        .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(10))
        .maximumExpectedValue(Duration.ofHours(1)).register(r);
    Gauge.builder("metaopt.evaluator.win.rate", winRateTrainLoss, h -> h[0]).tag("metric", "train_loss")
        .description("Last evaluation's fraction of held-out tasks where the learned optimizer beat tuned Adam")
        .baseUnit("ratio").register(r);
    Gauge.builder("metaopt.evaluator.win.rate", winRateTestAccuracy, h -> h[0]).tag("metric", "test_accuracy")
        .description("Last evaluation's fraction of held-out tasks where the learned optimizer beat tuned Adam")
        .baseUnit("ratio").register(r);
    Gauge.builder("metaopt.evaluator.win.rate", winRateVsBest, h -> h[0]).tag("metric", "train_loss_vs_best")
        .description("Last evaluation's fraction of held-out tasks where the learned optimizer beat the best tuned "
            + "baseline by 1%").baseUnit("ratio").register(r);
    Gauge.builder("metaopt.evaluator.win.rate", winRateVsAdamCosine, h -> h[0])
        .tag("metric", "train_loss_vs_adam_cosine")
        .description("Last evaluation's fraction of held-out tasks where the learned optimizer beat tuned "
            + "adam-cosine by 1%").baseUnit("ratio").register(r);
    Gauge.builder("metaopt.evaluator.speedup", speedup, h -> h[0])
        .description("Last evaluation's median speedup over the tuned-Adam envelope (above 1: faster)")
        .baseUnit("ratio").register(r);
    Gauge.builder("metaopt.evaluator.loss.ratio", lossRatio, h -> h[0])
        .description("Last evaluation's geometric mean over tasks of learned / tuned-Adam final train loss "
            + "(below 1: learned better)")
        .baseUnit("ratio").register(r);
    String[] bounds = {"mean", "low", "high"};
    for (int i = 0; i < 3; i++) {
      final int k = i;
      Gauge.builder("metaopt.evaluator.vs.first.log.ratio", vsFirst, h -> h[k]).tag("bound", bounds[i])
          .description("Last evaluation against the run's first scored version on the same tasks and seeds: mean "
              + "log final-train-loss ratio and its 95% interval (below 0: better than the first)")
          .register(r);
    }
    Gauge.builder("metaopt.evaluator.version", version, h -> h[0])
        .description("The last evaluated optimizer version").baseUnit("versions").register(r);
  }

  void evaluated(EvaluationRecord e) {
    evaluations.increment();
    time.record(Duration.ofNanos((long) (e.seconds() * 1e9)));
    winRateTrainLoss[0] = e.winRateTrainLoss();
    winRateTestAccuracy[0] = e.winRateTestAccuracy();
    lossRatio[0] = e.geometricMeanLossRatio();
    winRateVsBest[0] = e.winRateVsBest();
    winRateVsAdamCosine[0] = e.winRateVsAdamCosine();
    speedup[0] = e.medianSpeedupVsAdam();
    version[0] = e.version();
    EvaluationRecord.Paired p = e.vsFirst();
    vsFirst[0] = p == null ? Double.NaN : p.meanLogRatio();
    vsFirst[1] = p == null ? Double.NaN : p.low();
    vsFirst[2] = p == null ? Double.NaN : p.high();
    for (EvaluationRecord.Row row : e.rows()) {
      set("metaopt.evaluator.test.accuracy", "Held-out test accuracy at the end of training (mean over seeds)",
          "ratio", row, row.testAccuracy());
      set("metaopt.evaluator.generalization.gap", "Held-out test loss minus train loss at the end of training "
          + "(mean over seeds)", null, row, row.generalizationGap());
      set("metaopt.evaluator.hessian.trace", "Hutchinson estimate of the Hessian trace at the final parameters "
          + "(mean over seeds; lower is flatter)", null, row, row.hessianTrace());
      set("metaopt.evaluator.train.loss", "Final train loss on the held-out task (mean over seeds)", null, row,
          row.trainLoss());
    }
  }

  private void set(String name, String description, String unit, EvaluationRecord.Row row, double value) {
    if (Double.isNaN(value)) {
      return; // not measured for this task: no series rather than a NaN one
    }
    String key = name + '\u0000' + row.task() + '\u0000' + row.optimizer();
    perTask.computeIfAbsent(key, k -> {
      double[] h = {Double.NaN};
      Gauge.builder(name, h, x -> x[0]).tags("task", row.task(), "optimizer", row.optimizer())
          .description(description).baseUnit(unit).strongReference(true).register(registry);
      return h;
    })[0] = value;
  }
}
