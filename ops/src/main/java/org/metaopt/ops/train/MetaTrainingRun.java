package org.metaopt.ops.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.metaopt.core.lopt.LearnedOptimizer;
import org.metaopt.core.lopt.registry.LearnedOptimizers;
import org.metaopt.core.meta.MetaTrainConfigs;
import org.metaopt.core.spec.SpecLoader;
import org.metaopt.core.spec.SuiteSpec;
import org.metaopt.core.spec.TaskFactory;
import org.metaopt.core.spec.TaskSpec;
import org.metaopt.core.transport.InMemoryTransport;
import org.metaopt.core.version.OptimizerVersion;
import org.metaopt.core.version.VersionFiles;
import org.metaopt.metalearner.LearnerSetup;
import org.metaopt.metalearner.MetaLearner;
import org.metaopt.producer.WorkerPool;

/**
 * Offline meta-training in one process: W producer workers and the learner talking through the in-memory
 * transport, versions and a metrics log written to the output folder. One run per instance; not reusable.
 */
public final class MetaTrainingRun {
  private static final ObjectMapper JSON = JsonMapper.builder().build();
  private final MetaTrainConfigs.Loaded config;
  private final Path out;
  private final int workers;
  private final TaskFactory factory;
  private final PrintWriter progress;
  private final VersionListener listener;
  private final HeldOutScorer heldOut;

  /** Told about every published version with its metrics line (the map written to metrics.jsonl); same thread. */
  @FunctionalInterface
  public interface VersionListener {
    void published(long metaSteps, Map<String, Object> metrics);
  }

  /** What the run did. */
  public record Summary(long finalVersion, long metaSteps, long segments, long innerSteps, long droppedStale,
      long droppedNonFinite, long divergedSegments, double seconds, Path finalVersionFile) {}

  public MetaTrainingRun(MetaTrainConfigs.Loaded config, Path out, int workers, Path dataDir, PrintWriter progress) {
    this(config, out, workers, dataDir, progress, null);
  }

  /** As above, with a listener told about every published version (instead of, or besides, progress lines). */
  public MetaTrainingRun(MetaTrainConfigs.Loaded config, Path out, int workers, Path dataDir, PrintWriter progress,
      VersionListener listener) {
    if (workers < 1) {
      throw new org.metaopt.core.UserError("--workers " + workers + " must be >= 1");
    }
    this.config = config;
    this.out = out;
    this.workers = workers;
    this.factory = new TaskFactory(dataDir);
    this.progress = progress;
    this.listener = listener;
    this.heldOut = config.heldOutSuite() != null
        ? new HeldOutScorer(SpecLoader.load(config.heldOutSuite()), factory) : null;
  }

  /** Runs until {@code maxMetaSteps} versions were published or {@code maxTime} passed, whichever is first. */
  public Summary run(long maxMetaSteps, Duration maxTime, OptimizerVersion resumeFrom) throws InterruptedException {
    SuiteSpec suite = SpecLoader.load(config.tasksFile());
    LearnedOptimizer arch = LearnedOptimizers.create(config.architecture(), config.hyperparameters());
    OptimizerVersion.Provenance template = provenanceTemplate(suite);
    OptimizerVersion v0 = startingVersion(arch, template, resumeFrom);
    writeFirstVersion(v0);

    InMemoryTransport transport = new InMemoryTransport(Math.max(4, 4 * config.windowSegments()));
    transport.publish(v0);
    // the same workers and learner loop as the services (producer's WorkerPool, LearnerSetup), over the in-memory
    // transport instead of Kafka
    WorkerPool pool = new WorkerPool(config, factory, workers, 0, 0, transport, transport);
    MetaLearner learner = new MetaLearner(transport, transport, v0, LearnerSetup.settings(config, template));
    long start = System.nanoTime();
    long deadline = start + maxTime.toNanos();
    pool.start();
    long steps = 0;
    long segments = 0;
    try (BufferedWriter metrics = Files.newBufferedWriter(out.resolve("metrics.jsonl"))) {
      while (steps < maxMetaSteps && System.nanoTime() < deadline) {
        if (pool.failure() != null) {
          throw pool.failure(); // a worker stopped: without it the windows would stay empty
        }
        MetaLearner.StepReport r = learner.step();
        segments += r.segments();
        if (!r.published()) {
          continue;
        }
        steps++;
        recordVersion(metrics, learner, arch, r, steps, start);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      pool.close();
    }
    OptimizerVersion last = learner.current();
    Path finalFile = out.resolve("final.json");
    VersionFiles.write(last, finalFile);
    long inner = pool.innerSteps();
    long diverged = pool.divergedSegments();
    return new Summary(last.version(), steps, segments, inner, learner.droppedStale(), learner.droppedNonFinite(),
        diverged, (System.nanoTime() - start) / 1e9, finalFile);
  }

  /** The provenance every version of this run carries (its window filled in per version). */
  private OptimizerVersion.Provenance provenanceTemplate(SuiteSpec suite) {
    List<String> taskNames = suite.tasks().stream().map(TaskSpec::name).toList();
    return new OptimizerVersion.Provenance(config.configHash(),
        config.estimator() + " sigma=" + config.sigma(), MetaLearner.weightsMap(config.weights()), taskNames,
        config.seed(), codeVersion(), Instant.now().toString(), 0, "in-memory");
  }

  /** {@code resumeFrom} if given (it must fit the architecture), else a fresh version 0. */
  private OptimizerVersion startingVersion(LearnedOptimizer arch, OptimizerVersion.Provenance template,
      OptimizerVersion resumeFrom) {
    OptimizerVersion v0 = resumeFrom != null ? resumeFrom
        : OptimizerVersion.of(0, -1, arch.architecture(), arch.hyperparameters(), arch.initialMetaParams(config.seed()),
            null, template);
    if (v0.theta().length != arch.numMetaParams()) {
      throw new org.metaopt.core.UserError("the resumed version has " + v0.theta().length + " meta-parameters; "
          + config.architecture() + " with these hyperparameters needs " + arch.numMetaParams());
    }
    return v0;
  }

  private void writeFirstVersion(OptimizerVersion v0) {
    Path versionsDir = out.resolve("versions");
    try {
      Files.createDirectories(versionsDir);
    } catch (IOException e) {
      throw new org.metaopt.core.UserError("cannot create output folder " + versionsDir + ": " + e.getMessage());
    }
    VersionFiles.write(v0, versionFile(v0.version()));
  }

  /**
   * A version was published (the {@code steps}-th): writes its file and its metrics line (scored on the held-out
   * suite every {@code heldOutEvery} versions), and tells the listener and the progress output.
   */
  private void recordVersion(BufferedWriter metrics, MetaLearner learner, LearnedOptimizer arch,
      MetaLearner.StepReport r, long steps, long start) throws IOException {
    OptimizerVersion v = learner.current();
    VersionFiles.write(v, versionFile(v.version()));
    Map<String, Object> line = org.metaopt.ops.report.MetricsPoint.line(v, (System.nanoTime() - start) / 1e9, r,
        learner.droppedStale(), learner.droppedNonFinite());
    if (heldOut != null && v.version() % config.heldOutEvery() == 0) {
      line.put("heldOutScore", heldOut.score(arch, v.theta()));
    }
    metrics.write(JSON.writeValueAsString(line));
    metrics.newLine();
    metrics.flush();
    if (listener != null) {
      listener.published(steps, line);
    }
    if (progress != null) {
      printProgress(r, line, steps, start);
    }
  }

  private void printProgress(MetaLearner.StepReport r, Map<String, Object> line, long steps, long start) {
    double secs = (System.nanoTime() - start) / 1e9;
    progress.printf("meta-step %d  meta-loss %.4f  |g| %.3g  %.1f meta-steps/s  %s%n", steps, r.metaLoss(),
        r.gradientNorm(), steps / secs, line.containsKey("heldOutScore")
            ? String.format("held-out %.4f", (double) line.get("heldOutScore")) : "");
    progress.flush();
  }

  private Path versionFile(long version) {
    return out.resolve("versions").resolve(String.format("v%06d.json", version));
  }

  static String codeVersion() {
    String v = MetaTrainingRun.class.getPackage().getImplementationVersion();
    return v != null ? v : "dev";
  }
}
