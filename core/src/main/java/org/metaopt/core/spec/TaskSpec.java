package org.metaopt.core.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * One optimizee, as written in a task spec file (YAML or JSON). Field names are fixed so that specs written
 * elsewhere keep working; see {@code docs/task-specs.md} for meanings, defaults and ranges per family.
 *
 * <p>{@code network} is read by plug-in families only ({@code family: dl4j}: a Deeplearning4j
 * MultiLayerConfiguration JSON file; see {@link TaskFamilyProvider}).
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
    Double gradientNoise,
    String network) {

  public TaskSpec {
    hidden = hidden == null ? null : List.copyOf(hidden);
    channels = channels == null ? null : List.copyOf(channels);
  }

  /** A spec without {@code network} (the field of plug-in families such as dl4j). */
  public TaskSpec(String name, String family, String dataset, List<Integer> hidden, String activation,
      Integer batchSize, Integer trainExamples, Integer validationExamples, Integer testExamples, Integer imageSize,
      Integer dim, Double conditionNumber, Double noise, Integer steps, Long seed, List<Integer> channels,
      Integer classes, Double gradientNoise) {
    this(name, family, dataset, hidden, activation, batchSize, trainExamples, validationExamples, testExamples,
        imageSize, dim, conditionNumber, noise, steps, seed, channels, classes, gradientNoise, null);
  }

  /** A copy with another {@code network} (a plug-in family's model file, resolved to an absolute path). */
  public TaskSpec withNetwork(String newNetwork) {
    return new TaskSpec(name, family, dataset, hidden, activation, batchSize, trainExamples, validationExamples,
        testExamples, imageSize, dim, conditionNumber, noise, steps, seed, channels, classes, gradientNoise,
        newNetwork);
  }

  /** The family as an enum; null for a plug-in family ({@link TaskFamilies}). Valid only on resolved specs. */
  public Family familyEnum() {
    return Family.bySpecName(family);
  }

  /** A copy with another problem seed. */
  public TaskSpec withSeed(long newSeed) {
    return new TaskSpec(name, family, dataset, hidden, activation, batchSize, trainExamples, validationExamples,
        testExamples, imageSize, dim, conditionNumber, noise, steps, newSeed, channels, classes, gradientNoise,
        network);
  }

  /** A copy with another name and label-noise fraction (classifier tasks: that share of training labels redrawn). */
  public TaskSpec withLabelNoise(String newName, double newNoise) {
    return new TaskSpec(newName, family, dataset, hidden, activation, batchSize, trainExamples, validationExamples,
        testExamples, imageSize, dim, conditionNumber, newNoise, steps, seed, channels, classes, gradientNoise,
        network);
  }

  /** A copy with another step count. */
  public TaskSpec withSteps(int newSteps) {
    return new TaskSpec(name, family, dataset, hidden, activation, batchSize, trainExamples, validationExamples,
        testExamples, imageSize, dim, conditionNumber, noise, newSteps, seed, channels, classes, gradientNoise,
        network);
  }
}
