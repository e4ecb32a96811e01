package org.metaopt.ops.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.metaopt.core.spec.MetaTrainConfig;
import org.metaopt.core.spec.TaskSpec;

/** docs/config-reference.md names every key the task-spec and META.yaml binders accept. */
class ConfigReferenceTest {
  private static String reference() throws Exception {
    Path p = Path.of("../docs/config-reference.md");
    if (!Files.exists(p)) {
      p = Path.of("docs/config-reference.md");
    }
    return Files.readString(p);
  }

  private static void keys(String prefix, Class<?> type, List<String> out) {
    for (RecordComponent c : type.getRecordComponents()) {
      String key = prefix + c.getName();
      if (c.getType().isRecord()) {
        keys(key + ".", c.getType(), out);
      } else {
        out.add(key);
      }
    }
  }

  @Test
  void documentsEveryTaskSpecAndMetaTrainingKey() throws Exception {
    String doc = reference();
    List<String> keys = new ArrayList<>();
    keys("", TaskSpec.class, keys);
    keys("", MetaTrainConfig.class, keys);
    for (String k : keys) {
      assertTrue(doc.contains("| `" + k + "` |"), "docs/config-reference.md has no row for `" + k + "`");
    }
    for (String code : List.of("| 0 |", "| 1 |", "| 2 |")) {
      assertTrue(doc.contains(code), "exit code row " + code);
    }
  }
}
