package org.metaopt.core.spec;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The optimizee families a task spec may name, with the spec name each goes by. */
public enum Family {
  QUADRATIC("quadratic", Kind.DATA_FREE),
  LEAST_SQUARES("least-squares", Kind.REGRESSION),
  LOGISTIC("logistic", Kind.CLASSIFIER),
  MLP("mlp", Kind.CLASSIFIER),
  CONV("conv", Kind.CLASSIFIER),
  ROSENBROCK("rosenbrock", Kind.DATA_FREE),
  BEALE("beale", Kind.DATA_FREE),
  BOOTH("booth", Kind.DATA_FREE),
  MATYAS("matyas", Kind.DATA_FREE),
  STYBLINSKI_TANG("styblinski-tang", Kind.DATA_FREE),
  RASTRIGIN("rastrigin", Kind.DATA_FREE),
  ACKLEY("ackley", Kind.DATA_FREE);

  /** What a family trains on. */
  public enum Kind {
    DATA_FREE,
    REGRESSION,
    CLASSIFIER
  }

  private final String specName;
  private final Kind kind;

  Family(String specName, Kind kind) {
    this.specName = specName;
    this.kind = kind;
  }

  public String specName() {
    return specName;
  }

  public Kind kind() {
    return kind;
  }

  /** True for the test functions (rosenbrock ... ackley). */
  public boolean isTestFunction() {
    return kind == Kind.DATA_FREE && this != QUADRATIC;
  }

  /** The family called {@code name} in a spec, or null. */
  public static Family bySpecName(String name) {
    if (name == null) {
      return null;
    }
    String n = name.toLowerCase(Locale.ROOT);
    for (Family f : values()) {
      if (f.specName.equals(n)) {
        return f;
      }
    }
    return null;
  }

  /** "quadratic, least-squares, ..." for error messages. */
  public static String allowed() {
    return Arrays.stream(values()).map(Family::specName).collect(Collectors.joining(", "));
  }
}
