package org.metaopt.producer;

import java.util.ArrayList;
import java.util.List;
import org.metaopt.core.lopt.LearnedOptimizer;
import org.metaopt.core.lopt.registry.LearnedOptimizers;
import org.metaopt.core.meta.Particle;
import org.metaopt.core.meta.TaskSource;
import org.metaopt.core.meta.MetaTrainConfigs;
import org.metaopt.core.spec.SpecLoader;
import org.metaopt.core.spec.SuiteSpec;
import org.metaopt.core.spec.TaskFactory;
import org.metaopt.core.spec.TaskSpec;
import org.metaopt.core.train.Trainer;
import org.metaopt.core.transport.SegmentSink;
import org.metaopt.core.transport.VersionChannel;

/**
 * W worker threads, each running {@code particlesPerWorker} particles of the config's tasks (round-robin over the
 * suite). Producer instance {@code instance} gets particle ids and seeds of its own, so several producers never
 * run the same trajectories.
 */
public final class WorkerPool implements AutoCloseable {
  private final List<UnrollWorker> workers = new ArrayList<>();
  private final List<Thread> threads = new ArrayList<>();

  public WorkerPool(MetaTrainConfigs.Loaded config, TaskFactory factory, int workerCount, int instance,
      double rawGradientFraction, VersionChannel versions, SegmentSink sink) {
    if (workerCount < 1) {
      throw new org.metaopt.core.UserError("--workers " + workerCount + " must be >= 1");
    }
    SuiteSpec suite = SpecLoader.load(config.tasksFile());
    LearnedOptimizer arch = LearnedOptimizers.create(config.architecture(), config.hyperparameters());
    Particle.Settings ps = new Particle.Settings(config.estimator(), config.sigma(), Trainer.DEFAULT_BLOW_UP_FACTOR,
        config.weights().validationLoss() > 0, config.flatness(), config.randomStartOffset());
    int index = 0;
    long idBase = (long) instance << 32;
    for (int w = 0; w < workerCount; w++) {
      List<Particle> particles = new ArrayList<>();
      for (int p = 0; p < config.particlesPerWorker(); p++, index++) {
        TaskSpec spec = suite.tasks().get(index % suite.tasks().size());
        long seed = config.seed() * 1_000_003L + index + instance * 0x9E3779B97F4A7C15L;
        particles.add(new Particle(idBase + index, taskSource(config, suite, spec, factory), arch, config.schedule(), ps,
            seed));
      }
      UnrollWorker worker = new UnrollWorker(particles, versions, sink, rawGradientFraction, seedOf(instance, w));
      Thread t = new Thread(worker, "metaopt-worker-" + w);
      t.setDaemon(true);
      workers.add(worker);
      threads.add(t);
    }
  }

  /**
   * A particle's tasks: with {@code sampling.perTrajectory}, every trajectory draws from the whole suite; else the
   * particle keeps {@code spec} (round-robin over the suite). Either way with the configured weight
   * reparameterization, if any.
   */
  static TaskSource taskSource(MetaTrainConfigs.Loaded config, SuiteSpec suite, TaskSpec spec, TaskFactory factory) {
    boolean reparam = config.minScale() != 1 || config.maxScale() != 1;
    if (config.samplePerTrajectory()) {
      return new TaskSource.Sampled(suite.tasks(), factory::create, config.minScale(), config.maxScale());
    }
    return reparam ? new TaskSource.Sampled(List.of(spec), factory::create, config.minScale(), config.maxScale())
        : TaskSource.fixed(spec, factory.create(spec));
  }

  private static long seedOf(int instance, int worker) {
    return 31L * instance + worker;
  }

  public void start() {
    threads.forEach(Thread::start);
  }

  /** The first error that stopped a worker, or null. */
  public RuntimeException failure() {
    return workers.stream().map(UnrollWorker::failure).filter(java.util.Objects::nonNull).findFirst().orElse(null);
  }

  public List<UnrollWorker> workers() {
    return workers;
  }

  public long segmentsSent() {
    return workers.stream().mapToLong(UnrollWorker::segmentsSent).sum();
  }

  public long innerSteps() {
    return workers.stream().mapToLong(UnrollWorker::innerSteps).sum();
  }

  public long divergedSegments() {
    return workers.stream().mapToLong(UnrollWorker::divergedSegments).sum();
  }

  /** Stops the workers after their segment in progress and waits up to 5 s each. */
  @Override
  public void close() throws InterruptedException {
    workers.forEach(UnrollWorker::stop);
    for (Thread t : threads) {
      t.interrupt();
      t.join(5000);
    }
  }
}
