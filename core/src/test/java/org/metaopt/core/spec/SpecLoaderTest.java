package org.metaopt.core.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SpecLoaderTest {
  @TempDir Path dir;

  private Path write(String name, String text) throws IOException {
    Path p = dir.resolve(name);
    Files.writeString(p, text);
    return p;
  }

  @Test
  void loadsASingleYamlTaskWithFamilyDefaults() throws IOException {
    SuiteSpec s = SpecLoader.load(write("t.yaml", "name: m\nfamily: mlp\nhidden: [64, 32]\nactivation: tanh\n"));
    TaskSpec t = s.tasks().get(0);
    assertEquals("m", s.name());
    assertEquals(List.of(64, 32), t.hidden());
    assertEquals(128, t.batchSize());
    assertEquals("fashion-mnist", t.dataset());
    assertEquals(28, t.imageSize());
    assertEquals(60_000, t.trainExamples());
    assertEquals(1000, t.steps());
  }

  @Test
  void loadsAJsonSuite() throws IOException {
    SuiteSpec s = SpecLoader.load(write("s.json",
        "{\"name\": \"mix\", \"tasks\": [{\"family\": \"quadratic\", \"dim\": 5},"
            + " {\"family\": \"rosenbrock\", \"dim\": 3, \"noise\": 0.1}]}"));
    assertEquals("mix", s.name());
    assertEquals(2, s.tasks().size());
    assertEquals(10.0, s.tasks().get(0).conditionNumber());
    assertEquals(0.1, s.tasks().get(1).noise());
  }

  @Test
  void hashIgnoresWhetherDefaultsWereWritten() throws IOException {
    TaskSpec a = SpecLoader.load(write("a.yaml", "family: quadratic\n")).tasks().get(0);
    TaskSpec b = SpecLoader.load(write("b.yaml", "family: quadratic\ndim: 20\nconditionNumber: 10\nname: quadratic\n"))
        .tasks().get(0);
    TaskSpec c = SpecLoader.load(write("c.yaml", "family: quadratic\ndim: 21\n")).tasks().get(0);
    assertEquals(SpecHash.of(a), SpecHash.of(b));
    assertNotEquals(SpecHash.of(a), SpecHash.of(c));
  }

  static Stream<Arguments> badSpecs() {
    return Stream.of(
        Arguments.of("family: mlp\nhiden: [3]", "hiden: unknown field; allowed fields are"),
        Arguments.of("family: mlp\nbatchSize: abc", "batchSize = \"abc\" has the wrong type; expected an integer"),
        Arguments.of("family: mlp\nbatchSize: 1.5", "batchSize = 1.5 has the wrong type; expected an integer"),
        Arguments.of("family: mlp\nhidden: 64", "hidden = 64 has the wrong type; expected a list"),
        Arguments.of("family: mlp\nbatchSize: -3", "batchSize = -3 is not allowed; expected an integer in [1, 60000]"),
        Arguments.of("family: mlp\nimageSize: 20", "imageSize = 20 is not allowed; expected 28, 14 or 7"),
        Arguments.of("family: mlp\nactivation: gelu", "activation = 'gelu' is not allowed; expected relu, tanh or sigmoid"),
        Arguments.of("family: mlpp", "family = 'mlpp' is not allowed; expected one of quadratic"),
        Arguments.of("name: x", "family missing is not allowed"),
        Arguments.of("family: quadratic\nhidden: [3]", "hidden = [3] does not apply to family quadratic"),
        Arguments.of("family: beale\ndim: 3", "dim = 3 is not allowed; expected an integer in [2, 2]"),
        Arguments.of("family: mlp\ntrainExamples: 50000\nvalidationExamples: 20000", "trainExamples = 50000 is not allowed"),
        Arguments.of("family: mlp\nhidden: [0]", "hidden[0] = 0 is not allowed"),
        Arguments.of("family: [unclosed", "not valid YAML"));
  }

  @ParameterizedTest
  @MethodSource("badSpecs")
  void rejectsBadSpecsNamingFileFieldAndAllowedRange(String yaml, String expected) throws IOException {
    Path p = write("bad.yaml", yaml);
    SpecException e = assertThrows(SpecException.class, () -> SpecLoader.load(p));
    assertTrue(e.getMessage().startsWith(p.toString()), e.getMessage());
    assertTrue(e.getMessage().contains(expected), e.getMessage());
    assertTrue(!e.getMessage().contains("\n"), "one line: " + e.getMessage());
  }

  @Test
  void suiteErrorsNameTheTaskIndex() throws IOException {
    Path p = write("s.yaml", "name: s\ntasks:\n  - family: quadratic\n  - family: mlp\n    steps: 0\n");
    SpecException e = assertThrows(SpecException.class, () -> SpecLoader.load(p));
    assertTrue(e.getMessage().contains("tasks[1].steps = 0"), e.getMessage());
  }

  @Test
  void missingFileSaysSo() {
    SpecException e = assertThrows(SpecException.class, () -> SpecLoader.load(dir.resolve("nope.yaml")));
    assertTrue(e.getMessage().contains("not found"), e.getMessage());
  }
}
