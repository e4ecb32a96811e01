package org.metaopt.producer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.metaopt.core.lopt.LearnedOptimizer;
import org.metaopt.core.lopt.registry.LearnedOptimizers;
import org.metaopt.core.meta.EstimatorKind;
import org.metaopt.core.meta.Particle;
import org.metaopt.core.meta.TruncationSchedule;
import org.metaopt.core.spec.SpecLoader;
import org.metaopt.core.spec.TaskFactory;
import org.metaopt.core.spec.TaskSpec;
import org.metaopt.core.transport.InMemoryTransport;
import org.metaopt.core.version.OptimizerVersion;

/** A worker that cannot go on stops and keeps the error for its owner instead of dying with a stack trace. */
@Timeout(60)
class UnrollWorkerTest {
  @TempDir Path dir;

  private UnrollWorker worker(InMemoryTransport t, LearnedOptimizer arch) throws Exception {
    Path suite = Files.writeString(dir.resolve("suite.yaml"), "tasks:\n  - {family: booth}\n");
    TaskSpec spec = SpecLoader.load(suite).tasks().get(0);
    Particle p = new Particle(0, new TaskFactory(null).create(spec), spec, arch,
        new TruncationSchedule.Constant(20, 10), new Particle.Settings(EstimatorKind.PES, 0.01, 1e3, false, null), 1);
    return new UnrollWorker(List.of(p), t, t);
  }

  private static OptimizerVersion version(LearnedOptimizer arch, float[] theta) {
    return OptimizerVersion.of(0, -1, arch.architecture(), arch.hyperparameters(), theta, null,
        new OptimizerVersion.Provenance("cfg", "PES", Map.of(), List.of(), 0, "dev", "2026-11-22T00:00:00Z", 0,
            "in-memory"));
  }

  @Test
  void aThetaOfTheWrongLengthStopsTheWorkerWithItsError() throws Exception {
    LearnedOptimizer arch = LearnedOptimizers.create("mlp-lopt", Map.of("hiddenSize", 8));
    InMemoryTransport t = new InMemoryTransport(16);
    t.publish(version(arch, new float[arch.numMetaParams() + 3]));
    UnrollWorker w = worker(t, arch);
    w.run(); // returns instead of throwing
    assertInstanceOf(IllegalArgumentException.class, w.failure());
    assertTrue(w.failure().getMessage().contains("needs theta of length " + arch.numMetaParams()),
        w.failure().getMessage());
    assertEquals(0, w.segmentsSent());
  }

  @Test
  void aFittingVersionRunsUntilStopped() throws Exception {
    LearnedOptimizer arch = LearnedOptimizers.create("mlp-lopt", Map.of("hiddenSize", 8));
    InMemoryTransport t = new InMemoryTransport(1024);
    t.publish(version(arch, arch.initialMetaParams(1)));
    UnrollWorker w = worker(t, arch);
    Thread th = new Thread(w);
    th.start();
    while (w.segmentsSent() < 3) {
      Thread.sleep(10);
    }
    w.stop();
    th.join(10_000);
    assertNull(w.failure());
    assertTrue(t.backlog() >= 3);
  }
}
