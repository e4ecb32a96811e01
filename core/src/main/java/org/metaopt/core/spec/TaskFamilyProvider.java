package org.metaopt.core.spec;

import java.nio.file.Path;
import org.metaopt.core.data.DataSplits;
import org.metaopt.core.task.Task;

/**
 * A task family contributed by a module core does not know (the {@code dl4j} module's Deeplearning4j networks),
 * found with {@link java.util.ServiceLoader}: list the implementation in
 * {@code META-INF/services/org.metaopt.core.spec.TaskFamilyProvider}. Plug-in families are classifiers: their specs
 * take the shared data fields of {@code mlp} (dataset fashion-mnist or synthetic, sizes, batchSize, noise), which
 * {@link SpecValidator} resolves, plus {@code network}, which the provider checks.
 *
 * <p>Implementations must be stateless or thread-safe and have a public no-argument constructor; the tasks they
 * create are not thread-safe (one per thread, as every {@link Task}).
 */
public interface TaskFamilyProvider {

  /** The family's spec name ({@code family: NAME}), lower case; must not be a built-in {@link Family}'s. */
  String family();

  /**
   * Checks and completes the family's own fields of {@code spec}, whose shared fields are already resolved:
   * e.g. resolves {@code network} against {@code baseDir} to an absolute path and checks that the model fits the
   * data set.
   *
   * @param where prefix for messages ({@code "suite.yaml: tasks[2]"})
   * @param baseDir the directory relative paths are resolved against (the spec file's), or null for the working
   *     directory
   * @throws SpecException naming {@code where}, the field, the value and what is allowed
   */
  TaskSpec resolve(TaskSpec spec, String where, Path baseDir);

  /** A new task for a resolved spec, training on {@code splits} (built by {@link TaskFactory}, shared read-only). */
  Task create(TaskSpec spec, DataSplits splits);
}
