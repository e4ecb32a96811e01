package org.metaopt.ops.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.metaopt.core.UserError;
import org.metaopt.core.data.DataSplits;
import org.metaopt.core.data.FashionMnist;
import org.metaopt.core.data.ImageOptions;
import org.metaopt.core.data.ImageSplits;
import org.metaopt.core.data.Normalization;
import org.metaopt.core.data.SplitSizes;
import org.metaopt.core.spec.SpecValidator;
import org.metaopt.core.version.OptimizerVersion;
import org.metaopt.core.version.VersionFiles;
import org.metaopt.dl4j.LearnedUpdater;
import org.metaopt.dl4j.example.FashionMlpRun;
import org.metaopt.dl4j.runs.KafkaRunSink;
import org.metaopt.dl4j.runs.MetaoptListener;
import org.metaopt.ops.pipeline.DemoConfigs;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code metaopt dl4j-example}: a Deeplearning4j MLP 784-128-10 on Fashion-MNIST trained with a learned optimizer as
 * a DL4J updater and with DL4J's own Adam at its default rate, on the same minibatches; one JSON line per optimizer.
 */
@Command(
    name = "dl4j-example",
    mixinStandardHelpOptions = true,
    description = "Train a DL4J MLP 784-128-10 on Fashion-MNIST with a learned optimizer (LearnedUpdater) and with "
        + "DL4J's Adam for the same steps; print one JSON line each.",
    footer = {"", "Examples:",
        "  metaopt dl4j-example",
        "  metaopt dl4j-example --optimizer pretrained/mlp-lopt-h4w.json --steps 2000",
        "  metaopt dl4j-example --steps 300 --record && metaopt runs     # with './metaopt broker' running",
        "",
        "Each line: optimizer, steps, trainLoss (mean over the 60,000 training images after the last step),",
        "testAccuracy (10,000 test images) and msPerStep (mean time of DL4J's fit on one batch; the two networks",
        "train in lockstep on the same batches, so machine load affects both alike). The learned optimizer is",
        "told the run's length (celo2's warm-up + cosine schedule). Standard error gets the ratio of the two",
        "msPerStep and the accuracy difference.",
        "Exit codes: 0 done, 2 bad input (missing data set, bad version file)."})
final class Dl4jExampleCommand implements Callable<Integer> {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec cli;

  @Option(names = "--optimizer", paramLabel = "FILE",
      description = "Learned optimizer version file (default: the shipped pretrained/celo2.json).")
  Path optimizer;

  @Option(names = "--steps", defaultValue = "1000", paramLabel = "N",
      description = "Training steps for each optimizer (default: ${DEFAULT-VALUE}).")
  int steps;

  @Option(names = "--batch-size", defaultValue = "128", paramLabel = "B",
      description = "Minibatch size (default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(names = "--seed", defaultValue = "0", paramLabel = "S",
      description = "Seed of the initialization and the minibatch order (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--record", description = "Also stream both runs to Kafka as recorded runs (MetaoptListener; "
      + "list them with 'metaopt runs').")
  boolean record;

  @Mixin KafkaOptions kafka;

  @Option(names = "--data-dir", paramLabel = "DIR",
      description = "Folder with the Fashion-MNIST IDX files (default: $METAOPT_DATA or /usr/share/datasets/fashion-mnist).")
  Path dataDir;

  @Override
  public Integer call() throws IOException {
    if (steps < 1 || steps > 10_000_000) {
      throw new UserError("--steps " + steps + " must be in [1, 10000000]");
    }
    if (batchSize < 1 || batchSize > SpecValidator.FASHION_TRAIN) {
      throw new UserError("--batch-size " + batchSize + " must be in [1, " + SpecValidator.FASHION_TRAIN + "]");
    }
    OptimizerVersion version = optimizer != null ? VersionFiles.read(optimizer) : DemoConfigs.shippedCelo2();
    LearnedUpdater learned = LearnedUpdater.of(version).withTotalSteps(steps);
    DataSplits data = ImageSplits.build(FashionMnist.load(dataDir), new SplitSizes(SpecValidator.FASHION_TRAIN, 0,
        SpecValidator.FASHION_TEST), new ImageOptions(28, Normalization.NONE), seed);
    PrintWriter out = cli.commandLine().getOut();
    PrintWriter err = cli.commandLine().getErr();
    String source = optimizer != null ? optimizer.toString() : "pretrained/celo2.json";
    err.printf("dl4j-example: %d steps of batch %d with %s (%s v%d) and with DL4J's Adam (lr 1e-3), in lockstep..."
        + "%n", steps, batchSize, source, version.architecture(), version.version());
    err.flush();
    List<MetaoptListener> recorders = new ArrayList<>();
    List<FashionMlpRun.Result> results;
    try {
      List<FashionMlpRun.Contender> contenders = List.of(
          contender(version.architecture() + " (" + source + ")", learned, recorders, err),
          contender("dl4j-adam (lr 0.001)", new Adam(), recorders, err));
      results = FashionMlpRun.compare(contenders, data, steps, batchSize, seed);
    } finally {
      recorders.forEach(MetaoptListener::close);
    }
    FashionMlpRun.Result a = results.get(0);
    FashionMlpRun.Result b = results.get(1);
    out.println(Json.write(line(a)));
    out.println(Json.write(line(b)));
    out.flush();
    err.printf("dl4j-example: msPerStep %s / Adam = %.2f; test accuracy %s - Adam = %+.2f points%n",
        version.architecture(), a.msPerStep() / b.msPerStep(), version.architecture(),
        100 * (a.testAccuracy() - b.testAccuracy()));
    err.flush();
    return 0;
  }

  /** One optimizer of the comparison, recorded to Kafka with --record (its listener added to {@code recorders}). */
  private FashionMlpRun.Contender contender(String label, IUpdater updater, List<MetaoptListener> recorders,
      PrintWriter err) {
    if (!record) {
      return new FashionMlpRun.Contender(label, updater, List.of());
    }
    kafka.logTo("dl4j-example.log");
    MetaoptListener listener = new MetaoptListener(new KafkaRunSink(kafka.settings()), null,
        "dl4j-example " + label, MetaoptListener.DEFAULT_CHUNK_STEPS);
    recorders.add(listener);
    err.printf("dl4j-example: recording run %s (%s) to %s%n", listener.runId(), label,
        kafka.settings().topics().trajectories());
    err.flush();
    return new FashionMlpRun.Contender(label, updater, List.of(listener));
  }

  private static Map<String, Object> line(FashionMlpRun.Result r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("optimizer", r.optimizer());
    m.put("steps", r.steps());
    m.put("trainLoss", r.trainLoss());
    m.put("testAccuracy", r.testAccuracy());
    m.put("msPerStep", Math.round(r.msPerStep() * 1000) / 1000.0);
    return m;
  }
}
