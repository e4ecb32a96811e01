package org.metaopt.core.meta;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.metaopt.core.spec.TaskSpec;
import org.metaopt.core.task.ReparamTask;
import org.metaopt.core.task.Task;

/**
 * Where a {@link Particle} gets the task of each new trajectory: always the same one ({@link #fixed}), or drawn
 * from a list of task specs with an optional global weight reparameterization ({@link Sampled}, Celo2's task
 * augmentation). Not thread-safe: one source per particle (the tasks it hands out belong to that particle's thread).
 */
public interface TaskSource {

  /** A task and the spec it was made from. */
  record Drawn(TaskSpec spec, Task task) {}

  /** The task of the next trajectory; may draw from {@code rng}. */
  Drawn next(SplittableRandom rng);

  /** Always {@code task}; draws nothing from the generator, so a particle's random stream is as without sources. */
  static TaskSource fixed(TaskSpec spec, Task task) {
    Drawn d = new Drawn(spec, task);
    return new TaskSource() {
      @Override
      public Drawn next(SplittableRandom rng) {
        return d;
      }
    };
  }

  /**
   * Draws each trajectory's task uniformly from {@code specs}, then, unless both scales are 1, one scale
   * {@code s = exp(U[ln minScale, ln maxScale])} and presents the task at that scale ({@link ReparamTask}). One task
   * object per spec is made on first use and reused.
   */
  final class Sampled implements TaskSource {
    private final List<TaskSpec> specs;
    private final Function<TaskSpec, Task> factory;
    private final double minScale;
    private final double maxScale;
    private final Task[] made;

    public Sampled(List<TaskSpec> specs, Function<TaskSpec, Task> factory, double minScale, double maxScale) {
      if (specs.isEmpty()) {
        throw new IllegalArgumentException("a task sampler needs at least one task spec");
      }
      if (!(minScale > 0) || !(maxScale >= minScale) || Double.isInfinite(maxScale)) {
        throw new IllegalArgumentException("reparameterization scales [" + minScale + ", " + maxScale
            + "] must satisfy 0 < min <= max < infinity");
      }
      this.specs = new ArrayList<>(specs);
      this.factory = factory;
      this.minScale = minScale;
      this.maxScale = maxScale;
      this.made = new Task[this.specs.size()];
    }

    private Task task(int i) {
      if (made[i] == null) {
        made[i] = factory.apply(specs.get(i));
      }
      return made[i];
    }

    @Override
    public Drawn next(SplittableRandom rng) {
      int i = rng.nextInt(specs.size());
      Task t = task(i);
      if (minScale != 1 || maxScale != 1) {
        double s = Math.exp(Math.log(minScale) + rng.nextDouble() * (Math.log(maxScale) - Math.log(minScale)));
        t = new ReparamTask(t, s);
      }
      return new Drawn(specs.get(i), t);
    }
  }
}
