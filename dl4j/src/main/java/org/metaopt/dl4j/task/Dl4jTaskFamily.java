package org.metaopt.dl4j.task;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.metaopt.core.data.DataSplits;
import org.metaopt.core.spec.SpecException;
import org.metaopt.core.spec.TaskFamilyProvider;
import org.metaopt.core.spec.TaskSpec;
import org.metaopt.core.task.Task;

/**
 * {@code family: dl4j}: a task spec that names a Deeplearning4j network ({@code network: a MultiLayerConfiguration
 * JSON file}, relative to the spec file) and a data set like {@code mlp} (Fashion-MNIST at {@code imageSize}² inputs,
 * or synthetic teacher–student data of {@code dim} inputs and {@code classes} classes). Registered with
 * {@link java.util.ServiceLoader} ({@code META-INF/services/org.metaopt.core.spec.TaskFamilyProvider}), so core,
 * the producers, {@code optimize}, {@code evaluate} and {@code train} know the family whenever this module is on the
 * class path. Resolving checks the file and runs one forward pass ({@link Dl4jNetworks#check}). Thread-safe: the
 * files read are cached by path.
 */
public final class Dl4jTaskFamily implements TaskFamilyProvider {
  /** The family's spec name. */
  public static final String FAMILY = "dl4j";

  private static final Map<String, String> JSON_BY_PATH = new ConcurrentHashMap<>();

  @Override
  public String family() {
    return FAMILY;
  }

  @Override
  public TaskSpec resolve(TaskSpec spec, String where, Path baseDir) {
    if (spec.network() == null || spec.network().isBlank()) {
      throw new SpecException(where + ".network missing is not allowed; expected the path of a DL4J "
          + "MultiLayerConfiguration JSON file (relative to the spec file), e.g. docs/examples/dl4j/mlp-196-32-10.json");
    }
    Path file = Path.of(spec.network());
    if (!file.isAbsolute()) {
      file = (baseDir != null ? baseDir : Path.of("")).resolve(file);
    }
    file = file.toAbsolutePath().normalize();
    String json = Dl4jNetworks.readJson(file, where);
    int features = "fashion-mnist".equals(spec.dataset()) ? spec.imageSize() * spec.imageSize() : spec.dim();
    int classes = "fashion-mnist".equals(spec.dataset()) ? 10 : spec.classes();
    Dl4jNetworks.check(Dl4jNetworks.parse(json, file, where), features, classes, file, where);
    JSON_BY_PATH.put(file.toString(), json);
    return spec.withNetwork(file.toString());
  }

  @Override
  public Task create(TaskSpec spec, DataSplits splits) {
    Path file = Path.of(spec.network());
    String where = "task '" + spec.name() + "'";
    String json = JSON_BY_PATH.computeIfAbsent(file.toString(), k -> Dl4jNetworks.readJson(file, where));
    MultiLayerConfiguration conf = Dl4jNetworks.parse(json, file, where);
    return new Dl4jTask(spec.name(), splits, spec.batchSize(), conf);
  }
}
