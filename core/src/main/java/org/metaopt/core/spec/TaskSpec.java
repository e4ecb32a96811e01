package org.metaopt.core.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * One optimizee, as written in a task spec file (YAML or JSON). Field names are fixed so that specs written
 * elsewhere keep working; see {@code docs/task-specs.md} for meanings, defaults and ranges per family.
 *
 * <p>Parsed specs have null where the file said nothing; {@link SpecValidator#resolve} fills every default and
 * checks every range, and only resolved specs are turned into tasks or hashed. Immutable.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder(alphabetic = true)
public record TaskSpec(
    String name,
    String family,
    String dataset,
    List<Integer> hidden,
    String activation,
    Integer batchSize,
    Integer trainExamples,
    Integer validationExamples,
    Integer testExamples,
    Integer imageSize,
    Integer dim,
    Double conditionNumber,
    Double noise,
    Integer steps,
    Long seed,
    List<Integer> channels,
    Integer classes,
    Double gradientNoise) {

  public TaskSpec {
    hidden = hidden == null ? null : List.copyOf(hidden);
    channels = channels == null ? null : List.copyOf(channels);
  }

  /** The family as an enum; valid only on resolved specs. */
  public Family familyEnum() {
    return Family.bySpecName(family);
  }

  /** A copy with another problem seed. */
  public TaskSpec withSeed(long newSeed) {
    return new TaskSpec(name, family, dataset, hidden, activation, batchSize, trainExamples, validationExamples,
        testExamples, imageSize, dim, conditionNumber, noise, steps, newSeed, channels, classes, gradientNoise);
  }

  /** A copy with another step count. */
  public TaskSpec withSteps(int newSteps) {
    return new TaskSpec(name, family, dataset, hidden, activation, batchSize, trainExamples, validationExamples,
        testExamples, imageSize, dim, conditionNumber, noise, newSteps, seed, channels, classes, gradientNoise);
  }
}
