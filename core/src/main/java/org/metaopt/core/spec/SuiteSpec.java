package org.metaopt.core.spec;

import java.util.List;

/** A named list of resolved task specs, as loaded from a suite file (or a single-task file). Immutable. */
public record SuiteSpec(String name, List<TaskSpec> tasks) {
  public SuiteSpec {
    tasks = List.copyOf(tasks);
  }
}
