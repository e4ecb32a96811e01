package org.metaopt.ops.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.metaopt.core.UserError;
import org.metaopt.core.data.FashionMnist;
import org.metaopt.stream.kafka.EmbeddedBroker;
import org.metaopt.stream.kafka.KafkaSettings;
import org.metaopt.core.meta.MetaTrainConfigs;
import org.metaopt.core.spec.SpecLoader;
import org.metaopt.core.spec.SuiteSpec;
import org.metaopt.core.spec.TaskFactory;
import org.metaopt.core.tuning.LearningRateTuner;
import org.metaopt.core.tuning.TuningCache;
import org.metaopt.core.version.OptimizerVersion;
import org.metaopt.core.version.VersionFiles;
import org.metaopt.stream.wire.EvaluationRecord;
import org.metaopt.evaluator.EvaluatorService;
import org.metaopt.evaluator.SuiteEvaluator;
import org.metaopt.metalearner.KafkaLearner;
import org.metaopt.metalearner.MetaLearner;
import org.metaopt.producer.ProducerService;

/**
 * {@code metaopt demo}: the whole pipeline in one process — an embedded Kafka broker, the producer, learner and
 * evaluator services on the default demo tasks — for a fixed time or until stopped, leaving a run directory with
 * every version, the evaluations, the metrics and a summary comparing the last version with the first and with
 * tuned Adam on the held-out tasks.
 */
public final class Demo {
  private static final ObjectMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

  private final Path runDir;
  private final Duration budget;
  private final int workers;
  private final int evaluateEvery;
  private final Path dataDir;
  private final Path cacheDir;
  private final PrintWriter out;
  private final AtomicBoolean stop = new AtomicBoolean();
  private volatile io.micrometer.core.instrument.MeterRegistry registry;
  private final org.metaopt.ops.console.Progress progress;
  private DemoConfigs.Meta metaConfig = DemoConfigs.Meta.MLP_LOPT;
  private OptimizerVersion warmStart;
  private String startedFrom = "mlp-lopt's θ0";
  /** Heap after GC and live threads from the services' start to the end (sampled every 5 minutes). */
  private JvmFootprint footprint;

  /** What the demo did. */
  public record Result(Path runDir, boolean fashionMnist, long versions, long segments, long innerSteps,
      long deadLetters, double seconds, EvaluationRecord first, EvaluationRecord last, Path summary) {}

  public Demo(Path runDir, Duration budget, int workers, int evaluateEvery, Path dataDir, Path cacheDir,
      PrintWriter out) {
    if (workers < 1 || evaluateEvery < 1) {
      throw new UserError("--workers " + workers + " and --evaluate-every " + evaluateEvery + " must be >= 1");
    }
    this.runDir = runDir;
    this.budget = budget;
    this.workers = workers;
    this.evaluateEvery = evaluateEvery;
    this.dataDir = dataDir;
    this.cacheDir = cacheDir;
    this.out = out;
    this.progress = new org.metaopt.ops.console.Progress(out);
  }

  /**
   * Registers the three services' meters (and the learner's consumer lag) in {@code registry}, so that one
   * endpoint serves them all. Call before {@link #run()}.
   */
  public Demo metrics(io.micrometer.core.instrument.MeterRegistry registry) {
    this.registry = registry;
    return this;
  }

  /**
   * What to meta-train and from where: {@code from} is a version to warm-start from (null: the architecture's θ0);
   * celo2 versions (and {@code celo2} without a file: its θ0) run the celo2 recipe ({@link DemoConfigs.Meta#CELO2}),
   * mlp-lopt ones the small mlp-lopt config. Without a call: mlp-lopt from θ0. Call before {@link #run()}.
   *
   * @param description how the summary names the start, e.g. "the shipped celo2 (pretrained/celo2.json)"
   */
  public Demo startFrom(OptimizerVersion from, boolean celo2, String description) {
    String arch = from != null ? from.architecture() : celo2 ? "celo2" : "mlp-lopt";
    this.metaConfig = switch (arch) {
      case "celo2" -> DemoConfigs.Meta.CELO2;
      case "mlp-lopt" -> DemoConfigs.Meta.MLP_LOPT;
      default -> throw new UserError("demo: --from " + description + " is a " + arch + " version; the demo runs "
          + "celo2 or mlp-lopt (use `metaopt learner --from` with a config for " + arch + ")");
    };
    this.warmStart = from;
    this.startedFrom = description;
    return this;
  }

  /** Asks a running demo to wind down (Ctrl-C). */
  public void stop() {
    stop.set(true);
  }

  /** Whether the Fashion-MNIST files are where the data folder resolves to. */
  public static boolean fashionInstalled(Path dataDir) {
    Path d = FashionMnist.resolveDir(dataDir);
    return Files.exists(d.resolve("train-images-idx3-ubyte.gz")) || Files.exists(d.resolve("train-images-idx3-ubyte"));
  }

  public Result run() throws Exception {
    long t0 = System.nanoTime();
    Files.createDirectories(runDir.resolve("versions"));
    boolean fashion = fashionInstalled(dataDir);
    Path config = copyConfig(fashion);
    say(fashion ? "tasks: Fashion-MNIST (found at " + FashionMnist.resolveDir(dataDir) + ") and synthetic"
        : "tasks: synthetic only — Fashion-MNIST is not installed (sudo apt-get install dataset-fashion-mnist)");
    MetaTrainConfigs.Loaded meta = MetaTrainConfigs.load(config.resolve("meta.yaml"));
    SuiteSpec heldOut = SpecLoader.load(config.resolve("heldout.yaml"));
    TaskFactory factory = new TaskFactory(dataDir);

    try (EmbeddedBroker broker = EmbeddedBroker.start(runDir.resolve("broker"), 0)) {
      KafkaSettings kafka = KafkaSettings.of(broker.bootstrapServers());
      kafka.topics().ensure(kafka, Duration.ofSeconds(60));
      say("broker: " + broker.bootstrapServers() + " (embedded KRaft; logs in " + runDir.resolve("logs") + ")");

      say("learned optimizer: " + meta.architecture() + " from " + startedFrom);
      DemoLearner learning = DemoLearner.start(kafka, meta, t0, runDir.resolve("metrics.jsonl"), this::versionFile,
          registry, warmStart);
      boolean celo2 = metaConfig == DemoConfigs.Meta.CELO2;
      // celo2 meta-trains at a constant eta and is scored as deployed (warm-up + cosine), on 5 seeds so that the
      // paired interval against the first version has 3 tasks x 5 seeds = 15 pairs
      DemoEvaluator evaluating = DemoEvaluator.start(kafka, heldOut, suiteEvaluator(factory), evaluateEvery,
          celo2 ? 5 : 2, celo2 ? Map.of("schedule", "cosine") : Map.of(), runDir, registry, this::say);
      ProducerService producer = startProducer(kafka, meta, factory);
      footprint = new JvmFootprint(t0, 300);
      sayFootprint("services up", footprint.sample());
      showProgressUntilDone(t0, learning, evaluating.service(), producer);
      sayFootprint("end of the run", footprint.sample());
      say("stopping: producers, then the learner; the evaluator scores the newest version");
      producer.close(this::say);
      learning.stop();
      evaluating.stop();
      learning.closeMetrics();
      evaluating.closeEvaluations();
      return finish(t0, fashion, learning, evaluating.service(), producer);
    }
  }

  private SuiteEvaluator suiteEvaluator(TaskFactory factory) {
    return new SuiteEvaluator(factory, new LearningRateTuner(new TuningCache(
        cacheDir != null ? cacheDir : TuningCache.defaultRoot())), org.metaopt.evaluator.FinalHessianTrace.DEFAULT);
  }

  /** Starts the producer workers once the learner has published version 0. */
  private ProducerService startProducer(KafkaSettings kafka, MetaTrainConfigs.Loaded meta, TaskFactory factory)
      throws InterruptedException {
    ProducerService producer = new ProducerService(kafka, meta, factory, ProducerService.Options.defaults(workers));
    if (registry != null) {
      producer.metrics(registry);
    }
    if (!producer.start(Duration.ofSeconds(120))) {
      throw new IllegalStateException("the learner published no version 0 within 120 s (see "
          + runDir.resolve("logs") + ")");
    }
    return producer;
  }

  /**
   * Shows the progress bar until the budget is spent or {@link #stop()} is called. A learner or producer failure
   * closes the services and is thrown.
   */
  private void showProgressUntilDone(long t0, DemoLearner learning, EvaluatorService evaluator,
      ProducerService producer) throws InterruptedException {
    KafkaLearner learner = learning.learner();
    long deadline = t0 + budget.toNanos();
    try (org.metaopt.ops.console.Progress.Tracker bar = progress.start("demo", -1, "versions", budget)) {
      while (!stop.get() && System.nanoTime() < deadline) {
        Thread.sleep(500);
        RuntimeException failed = learner.failure() != null ? learner.failure() : producer.failure();
        if (failed != null) {
          producer.close();
          learner.close();
          evaluator.close();
          throw failed;
        }
        JvmFootprint.Sample sample = footprint.maybeSample();
        if (sample != null) {
          sayFootprint("running", sample);
        }
        OptimizerVersion v = learning.latest();
        MetaLearner.StepReport r = learning.lastReport();
        bar.stepTo(v == null ? 0 : v.version(), String.format("meta-loss %s, %d segments, %.0f optimizee steps/s",
            r == null ? "-" : String.format("%.3f", r.metaLoss()), learner.segmentsConsumed(),
            producer.innerSteps() / producer.seconds()));
      }
    }
  }

  /** After the services stopped: final.json, the first and last versions' evaluations, the summary and report. */
  private Result finish(long t0, boolean fashion, DemoLearner learning, EvaluatorService evaluator,
      ProducerService producer) throws IOException {
    KafkaLearner learner = learning.learner();
    OptimizerVersion first = VersionFiles.read(versionFile(0));
    OptimizerVersion newest = learning.latest();
    OptimizerVersion last = newest != null ? newest : first;
    VersionFiles.write(last, runDir.resolve("final.json"));
    EvaluationRecord e0 = findOrEvaluate(evaluator, first);
    EvaluationRecord eN = findOrEvaluate(evaluator, last);
    EvaluationRecord eB = evaluator.best() != null ? evaluator.best() : eN;
    double secs = (System.nanoTime() - t0) / 1e9;
    Path summary = writeSummary(fashion, first, last, e0, eN, eB, learner, producer, secs);
    writeReport(last, evaluator.history(), e0, eN);
    return new Result(runDir, fashion, last.version(), learner.segmentsConsumed(), producer.innerSteps(),
        learner.deadLetters(), secs, e0, eN, summary);
  }

  private static EvaluationRecord findOrEvaluate(EvaluatorService evaluator, OptimizerVersion v) {
    return evaluator.history().stream().filter(r -> r.version() == v.version()).findFirst()
        .orElseGet(() -> evaluator.evaluate(v));
  }

  private Path writeSummary(boolean fashion, OptimizerVersion first, OptimizerVersion last, EvaluationRecord e0,
      EvaluationRecord eN, EvaluationRecord eB, KafkaLearner learner, ProducerService producer, double secs)
      throws IOException {
    StringBuilder md = new StringBuilder();
    md.append("# metaopt demo summary\n\n");
    md.append(String.format("%.1f minutes; %s tasks; %d versions published; %d segments consumed; %d optimizee "
        + "steps (%.0f/s); %d dead letters; %d stale segments dropped.%n%n", secs / 60,
        fashion ? "Fashion-MNIST + synthetic" : "synthetic (Fashion-MNIST not installed)", last.version(),
        learner.segmentsConsumed(), producer.innerSteps(), producer.innerSteps() / Math.max(secs, 1e-9),
        learner.deadLetters(), learner.droppedStale()));
    md.append("Held-out tasks (never meta-trained on), mean final train loss over ").append(eN.seeds())
        .append(" seeds; lower is better.\n\n");
    md.append("| task | first version (v0) | last version (v").append(last.version())
        .append(") | tuned Adam | test accuracy v0 / last / Adam |\n|---|---:|---:|---:|---|\n");
    for (EvaluationRecord.Row adam : eN.rows().stream().filter(r -> r.optimizer().equals("adam")).toList()) {
      EvaluationRecord.Row a = learnedRow(e0, adam.task());
      EvaluationRecord.Row b = learnedRow(eN, adam.task());
      md.append(String.format("| %s | %.4g | %.4g | %.4g (lr %.3g) | %s |%n", adam.task(), a.trainLoss(),
          b.trainLoss(), adam.trainLoss(), adam.learningRate(), Double.isNaN(adam.testAccuracy()) ? "n/a"
              : String.format("%.4f / %.4f / %.4f", a.testAccuracy(), b.testAccuracy(), adam.testAccuracy())));
    }
    md.append(DemoSummary.table(e0, eN, eB));
    md.append("\n").append(DemoSummary.verdict(eN)).append("\n");
    md.append(String.format("%nθ SHA-256: v0 %s, v%d %s%n", first.thetaSha256(), last.version(),
        last.thetaSha256()));
    md.append("\n").append(footprint.line()).append("\n");
    Path file = runDir.resolve("summary.md");
    Files.writeString(file, md.toString());
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("seconds", secs);
    doc.put("fashionMnist", fashion);
    doc.put("versions", last.version());
    doc.put("segments", learner.segmentsConsumed());
    doc.put("innerSteps", producer.innerSteps());
    doc.put("deadLetters", learner.deadLetters());
    doc.put("droppedStale", learner.droppedStale());
    doc.put("startedFrom", startedFrom);
    doc.put("first", DemoSummary.headline(e0));
    doc.put("last", DemoSummary.headline(eN));
    doc.put("best", DemoSummary.headline(eB));
    doc.put("lastVsFirst", DemoSummary.verdict(eN));
    doc.put("jvm", footprint.samples().stream().map(JvmFootprint.Sample::json).toList());
    doc.put("evaluations", Map.of("first", e0, "last", eN, "best", eB));
    JSON.writeValue(runDir.resolve("summary.json").toFile(), doc);
    return file;
  }

  /** DIR/report.html: meta-training curves plus the held-out evaluations over versions and the summary. */
  private void writeReport(OptimizerVersion last, List<EvaluationRecord> history, EvaluationRecord e0,
      EvaluationRecord eN) throws IOException {
    List<org.metaopt.ops.report.MetricsPoint> points =
        org.metaopt.ops.report.MetricsPoint.read(runDir.resolve("metrics.jsonl"));
    org.metaopt.ops.report.HtmlReport report = org.metaopt.ops.report.TrainingReport.build("metaopt demo",
        org.metaopt.ops.report.TrainingReport.provenance(last), points);
    report.section("Held-out evaluations over versions");
    if (!history.isEmpty()) {
      double[] x = history.stream().mapToDouble(EvaluationRecord::version).toArray();
      report.figure(org.metaopt.ops.report.Plots.line("Win rate vs tuned Adam (train loss), held-out", "version",
          "win rate", List.of(new org.metaopt.ops.report.Series("win rate", x,
              history.stream().mapToDouble(EvaluationRecord::winRateTrainLoss).toArray())), false));
      report.figure(org.metaopt.ops.report.Plots.line("Geometric-mean final train loss ratio learned / tuned Adam",
          "version", "ratio (below 1: learned better)", List.of(new org.metaopt.ops.report.Series("ratio", x,
              history.stream().mapToDouble(EvaluationRecord::geometricMeanLossRatio).toArray())), true));
      report.figure(DemoSummary.vsFirstPlot(history));
    }
    report.section("Last version vs first vs tuned Adam (held-out)");
    List<List<String>> rows = new java.util.ArrayList<>();
    for (EvaluationRecord.Row adam : eN.rows().stream().filter(r -> r.optimizer().equals("adam")).toList()) {
      rows.add(List.of(adam.task(), String.format("%.4g", learnedRow(e0, adam.task()).trainLoss()),
          String.format("%.4g", learnedRow(eN, adam.task()).trainLoss()), String.format("%.4g", adam.trainLoss())));
    }
    report.table(List.of("task", "v0 train loss", "v" + last.version() + " train loss", "tuned Adam train loss"),
        rows);
    report.paragraph(String.format("Win rate vs tuned Adam on train loss: v0 %.2f, v%d %.2f. Geometric-mean loss "
        + "ratio: v0 %.3g, v%d %.3g.", e0.winRateTrainLoss(), last.version(), eN.winRateTrainLoss(),
        e0.geometricMeanLossRatio(), last.version(), eN.geometricMeanLossRatio()));
    report.write(runDir.resolve(org.metaopt.ops.report.TrainingReport.FILE));
  }

  private static EvaluationRecord.Row learnedRow(EvaluationRecord e, String task) {
    return e.rows().stream().filter(r -> r.task().equals(task) && r.optimizer().equals("learned")).findFirst()
        .orElseThrow();
  }

  private Path copyConfig(boolean fashion) throws IOException {
    return DemoConfigs.write(runDir.resolve("config"), fashion, metaConfig);
  }

  private Path versionFile(long version) {
    return runDir.resolve("versions").resolve(String.format("v%06d.json", version));
  }

  private void sayFootprint(String when, JvmFootprint.Sample s) {
    say(String.format("jvm (%s, %.0f s): heap after GC %.1f MiB, %d live threads", when, s.seconds(),
        s.heapAfterGcMiB(), s.liveThreads()));
  }

  private void say(String line) {
    synchronized (out) {
      progress.line(line);
    }
  }

}
