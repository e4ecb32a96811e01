package org.metaopt.core.task.functions;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The registry of test functions by spec name. Stateless. */
public final class TestFunctions {
  private static final List<TestFunction> ALL = List.of(
      new Rosenbrock(), new Beale(), new Booth(), new Matyas(), new StyblinskiTang(), new Rastrigin(), new Ackley());
  private static final Map<String, TestFunction> BY_NAME =
      ALL.stream().collect(Collectors.toUnmodifiableMap(TestFunction::name, Function.identity()));

  private TestFunctions() {}

  /** All functions, in a stable order. */
  public static List<TestFunction> all() {
    return ALL;
  }

  /** The function called {@code name}, or null. */
  public static TestFunction byName(String name) {
    return BY_NAME.get(name);
  }
}
