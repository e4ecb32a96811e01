package org.metaopt.bench;

import java.util.ArrayList;
import java.util.List;
import org.metaopt.core.spec.SpecValidator;
import org.metaopt.core.spec.TaskFactory;
import org.metaopt.core.spec.TaskSpec;
import org.metaopt.core.task.Task;

/**
 * The Fashion-MNIST MLP a benchmark parameter names, {@code IN-HIDDEN...-10/BATCH}: {@code 784-128-10/128} (the
 * 28x28 images), {@code 784-1024-1024-10/128} (a wide network), {@code 49-32-10/64} (7x7 average-pooled images, a
 * meta-training-sized task). ReLU hidden layers, 1,000 test examples, seed 0. Needs the Fashion-MNIST files.
 */
final class BenchTasks {
  private BenchTasks() {}

  /** The task for {@code shape}; the input width must be 784, 196 or 49 (image side 28, 14 or 7). */
  static Task mlp(String shape) {
    String[] parts = shape.split("/");
    String[] dims = parts[0].split("-");
    if (parts.length != 2 || dims.length < 2) {
      throw new IllegalArgumentException("shape '" + shape
          + "': expected IN-HIDDEN...-CLASSES/BATCH, e.g. 784-128-10/128");
    }
    int in = Integer.parseInt(dims[0]);
    int side = (int) Math.round(Math.sqrt(in));
    if (side * side != in || (side != 28 && side != 14 && side != 7)) {
      throw new IllegalArgumentException("shape '" + shape + "': input width " + in + " is not 784, 196 or 49");
    }
    if (Integer.parseInt(dims[dims.length - 1]) != 10) {
      throw new IllegalArgumentException("shape '" + shape + "': Fashion-MNIST has 10 classes, not "
          + dims[dims.length - 1]);
    }
    List<Integer> hidden = new ArrayList<>();
    for (int i = 1; i < dims.length - 1; i++) {
      hidden.add(Integer.parseInt(dims[i]));
    }
    int batch = Integer.parseInt(parts[1]);
    TaskSpec spec = SpecValidator.resolve(new TaskSpec("fashion-mlp-" + parts[0], "mlp", "fashion-mnist", hidden,
        "relu", batch, null, null, 1000, side, null, null, null, 1000, 0L, null, null, null), "bench");
    return new TaskFactory(null).create(spec);
  }
}
