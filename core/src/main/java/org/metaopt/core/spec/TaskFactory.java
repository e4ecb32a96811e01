package org.metaopt.core.spec;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.metaopt.core.data.DataSplits;
import org.metaopt.core.data.FashionMnist;
import org.metaopt.core.data.ImageOptions;
import org.metaopt.core.data.ImageSplits;
import org.metaopt.core.data.LabelNoise;
import org.metaopt.core.data.LinearRegressionData;
import org.metaopt.core.data.Normalization;
import org.metaopt.core.data.SplitSizes;
import org.metaopt.core.data.TeacherStudent;
import org.metaopt.core.task.NoisyGradientTask;
import org.metaopt.core.task.Task;
import org.metaopt.core.task.functions.TestFunctionTask;
import org.metaopt.core.task.functions.TestFunctions;
import org.metaopt.core.task.linear.LeastSquaresTask;
import org.metaopt.core.task.nets.Activation;
import org.metaopt.core.task.nets.ConvTask;
import org.metaopt.core.task.nets.LogisticTask;
import org.metaopt.core.task.nets.MlpTask;
import org.metaopt.core.task.quadratic.QuadraticTask;

/**
 * Turns resolved task specs into tasks. Data splits are built once per distinct spec and shared (read-only)
 * by every task made from it, so many workers can each own a task over the same data.
 *
 * <p>Thread-safe; the tasks it returns are not (one per thread).
 */
public final class TaskFactory {
  /** Width of the teacher network that labels synthetic classification data. */
  public static final int TEACHER_HIDDEN = 32;

  private final Path dataDir;
  private final Map<String, DataSplits> splitsBySpec = new ConcurrentHashMap<>();

  /** @param dataDir Fashion-MNIST folder, or null for {@code $METAOPT_DATA} / the Debian default */
  public TaskFactory(Path dataDir) {
    this.dataDir = dataDir;
  }

  /**
   * A new task for a resolved spec (see {@link SpecValidator#resolve}); a plug-in family's task comes from its
   * {@link TaskFamilyProvider} over the splits built here.
   */
  public Task create(TaskSpec spec) {
    Family fam = spec.familyEnum();
    if (fam == null) {
      TaskFamilyProvider plugin = TaskFamilies.find(spec.family());
      if (plugin == null) {
        throw new IllegalArgumentException("spec is not resolved: family " + spec.family());
      }
      Task task = plugin.create(spec, splits(spec));
      return spec.gradientNoise() > 0 ? new NoisyGradientTask(task, spec.gradientNoise()) : task;
    }
    Task task = switch (fam) {
      case QUADRATIC -> new QuadraticTask(spec.name(), spec.dim(), spec.conditionNumber(), true, spec.seed());
      case LEAST_SQUARES -> new LeastSquaresTask(spec.name(), splits(spec), spec.batchSize());
      case LOGISTIC -> new LogisticTask(spec.name(), splits(spec), spec.batchSize());
      case MLP -> new MlpTask(spec.name(), splits(spec), toArray(spec.hidden()), Activation.parse(spec.activation()),
          spec.batchSize());
      case CONV -> new ConvTask(spec.name(), splits(spec), toArray(spec.channels()), toArray(spec.hidden()),
          spec.batchSize());
      default -> new TestFunctionTask(spec.name(), TestFunctions.byName(fam.specName()), spec.dim());
    };
    double gradientNoise = spec.gradientNoise() + (fam.kind() == Family.Kind.DATA_FREE ? spec.noise() : 0.0);
    return gradientNoise > 0 ? new NoisyGradientTask(task, gradientNoise) : task;
  }

  private DataSplits splits(TaskSpec spec) {
    return splitsBySpec.computeIfAbsent(SpecHash.of(spec), k -> buildSplits(spec));
  }

  private DataSplits buildSplits(TaskSpec spec) {
    SplitSizes sizes = new SplitSizes(spec.trainExamples(), spec.validationExamples(), spec.testExamples());
    if (spec.familyEnum() == Family.LEAST_SQUARES) {
      return new LinearRegressionData(spec.dim(), sizes, spec.noise(), spec.seed()).generate().splits();
    }
    DataSplits clean;
    if ("fashion-mnist".equals(spec.dataset())) {
      clean = ImageSplits.build(FashionMnist.load(dataDir), sizes,
          new ImageOptions(spec.imageSize(), Normalization.NONE), spec.seed());
    } else {
      clean = new TeacherStudent(spec.dim(), spec.classes(), TEACHER_HIDDEN, sizes, spec.seed()).generate();
    }
    if (spec.noise() == 0) {
      return clean;
    }
    return new DataSplits(LabelNoise.apply(clean.train(), spec.noise(), spec.seed() ^ 0x1ABE1L), clean.validation(),
        clean.test());
  }

  private static int[] toArray(java.util.List<Integer> xs) {
    return xs.stream().mapToInt(Integer::intValue).toArray();
  }
}
