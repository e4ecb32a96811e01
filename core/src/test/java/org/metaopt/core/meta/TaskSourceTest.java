package org.metaopt.core.meta;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.metaopt.core.spec.SpecValidator;
import org.metaopt.core.spec.TaskFactory;
import org.metaopt.core.spec.TaskSpec;
import org.metaopt.core.task.ReparamTask;

class TaskSourceTest {
  private static TaskSpec quad(String name, int dim) {
    return SpecValidator.resolve(new TaskSpec(name, "quadratic", null, null, null, null, null, null, null, null, dim,
        10.0, null, 30, 1L, null, null, null), "test");
  }

  private final TaskFactory factory = new TaskFactory(null);

  @Test
  void aFixedSourceHandsOutItsTaskAndDrawsNothing() {
    TaskSpec q = quad("q", 5);
    var task = factory.create(q);
    TaskSource fixed = TaskSource.fixed(q, task);
    SplittableRandom a = new SplittableRandom(9);
    SplittableRandom b = new SplittableRandom(9);
    assertSame(task, fixed.next(a).task());
    assertEquals(b.nextLong(), a.nextLong(), "no randomness consumed: old configs keep their bits");
  }

  @Test
  void aSampledSourceDrawsEveryTaskAndScalesLogUniformly() {
    List<TaskSpec> specs = List.of(quad("a", 3), quad("b", 7), quad("c", 11));
    TaskSource.Sampled src = new TaskSource.Sampled(specs, factory::create, 1e-3, 1e3);
    SplittableRandom rng = new SplittableRandom(3);
    Set<String> seen = new HashSet<>();
    int below = 0;
    for (int i = 0; i < 600; i++) {
      TaskSource.Drawn d = src.next(rng);
      seen.add(d.spec().name());
      ReparamTask t = assertInstanceOf(ReparamTask.class, d.task());
      assertEquals(d.spec().dim().intValue(), t.numParams());
      assertTrue(t.scale() >= 1e-3 * (1 - 1e-6) && t.scale() <= 1e3 * (1 + 1e-6), "scale " + t.scale());
      below += t.scale() < 1 ? 1 : 0;
    }
    assertEquals(3, seen.size());
    assertEquals(300, below, 50, "log-uniform: half the scales below 1");
  }

  @Test
  void withoutAScaleRangeTheTaskIsPresentedAsIs() {
    TaskSource.Sampled src = new TaskSource.Sampled(List.of(quad("a", 3)), factory::create, 1, 1);
    assertTrue(!(src.next(new SplittableRandom(1)).task() instanceof ReparamTask));
  }
}
