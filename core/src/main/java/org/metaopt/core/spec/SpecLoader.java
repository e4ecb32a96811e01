package org.metaopt.core.spec;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Reads task specs from YAML or JSON files: either one task, or a suite {@code {name, tasks: [...]}}. Every
 * problem (syntax, unknown field, wrong type, out-of-range value) becomes a {@link SpecException} naming the
 * file, the field, the value and what is allowed. Thread-safe.
 */
public final class SpecLoader {
  private static final ObjectMapper YAML = strict(YAMLMapper.builder().build());
  private static final ObjectMapper JSON = strict(JsonMapper.builder().build());

  private SpecLoader() {}

  private static ObjectMapper strict(ObjectMapper m) {
    m.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    m.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
    m.enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
    for (LogicalType t : new LogicalType[] {LogicalType.Integer, LogicalType.Float, LogicalType.Boolean}) {
      m.coercionConfigFor(t).setCoercion(CoercionInputShape.String, CoercionAction.Fail);
    }
    m.coercionConfigFor(LogicalType.Textual).setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
    m.coercionConfigFor(LogicalType.Textual).setCoercion(CoercionInputShape.Float, CoercionAction.Fail);
    return m;
  }

  /** The mapper for a file, by extension ({@code .json} is JSON, anything else YAML). */
  static ObjectMapper mapperFor(Path file) {
    return file.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".json") ? JSON : YAML;
  }

  /** Loads and resolves a suite or single-task file. */
  public static SuiteSpec load(Path file) {
    JsonNode root = readTree(file);
    String f = file.toString();
    if (!(root instanceof ObjectNode obj)) {
      throw new SpecException(f + ": expected a task (a mapping with 'family') or a suite {name, tasks: [...]}, got "
          + (root == null || root.isMissingNode() ? "an empty file" : root.getNodeType().toString().toLowerCase()));
    }
    if (!obj.has("tasks")) {
      TaskSpec t = SpecValidator.resolve(toSpec(file, obj, ""), f, baseDir(file));
      return new SuiteSpec(t.name(), List.of(t));
    }
    Iterator<String> names = obj.fieldNames();
    while (names.hasNext()) {
      String n = names.next();
      if (!n.equals("name") && !n.equals("tasks") && !n.equals("description")) {
        throw new SpecException(f + ": unknown suite field '" + n + "'; a suite has name, description and tasks");
      }
    }
    JsonNode tasks = obj.get("tasks");
    if (!tasks.isArray() || tasks.isEmpty()) {
      throw new SpecException(f + ": tasks must be a non-empty list of task specs");
    }
    String suiteName = obj.hasNonNull("name") ? obj.get("name").asText() : stripExtension(file);
    List<TaskSpec> out = new ArrayList<>();
    for (int i = 0; i < tasks.size(); i++) {
      String where = "tasks[" + i + "]";
      if (!tasks.get(i).isObject()) {
        throw new SpecException(f + ": " + where + " must be a mapping of task fields");
      }
      out.add(SpecValidator.resolve(toSpec(file, tasks.get(i), where), f + ": " + where, baseDir(file)));
    }
    return new SuiteSpec(suiteName, out);
  }

  /**
   * Parses a YAML or JSON file (by extension) into a tree.
   *
   * @throws SpecException naming the file (and line) when it is missing or not valid
   */
  public static JsonNode readTree(Path file) {
    try {
      return mapperFor(file).readTree(Files.readAllBytes(file));
    } catch (NoSuchFileException e) {
      throw new SpecException("file not found: " + file + " (check the path; examples are in docs/examples/)");
    } catch (JacksonException e) {
      JsonLocation loc = e.getLocation();
      String at = loc != null && loc.getLineNr() > 0 ? " line " + loc.getLineNr() + ", column " + loc.getColumnNr() : "";
      throw new SpecException(file + at + ": not valid " + (mapperFor(file) == JSON ? "JSON" : "YAML") + ": "
          + firstLine(e.getOriginalMessage()));
    } catch (IOException e) {
      throw new SpecException("cannot read task spec " + file + ": " + e.getMessage());
    }
  }

  /** The directory a spec file's relative paths ({@code network}) are resolved against: the file's own. */
  private static Path baseDir(Path file) {
    return file.toAbsolutePath().normalize().getParent();
  }

  private static TaskSpec toSpec(Path file, JsonNode node, String where) {
    return bind(file, node, where, TaskSpec.class);
  }

  /**
   * Binds a tree to a record strictly (unknown fields, wrong types and coercions rejected).
   *
   * @param where path of {@code node} inside the file, for messages ("" for the root)
   * @throws SpecException naming the file, the field path, the value and what was expected
   */
  public static <T> T bind(Path file, JsonNode node, String where, Class<T> type) {
    String prefix = file + ": " + (where.isEmpty() ? "" : where + ".");
    try {
      return mapperFor(file).treeToValue(node, type);
    } catch (UnrecognizedPropertyException e) {
      String known = e.getKnownPropertyIds().stream().map(Object::toString).sorted().collect(Collectors.joining(", "));
      String parent = e.getPath().stream().limit(Math.max(0, e.getPath().size() - 1))
          .map(r -> r.getFieldName() != null ? r.getFieldName() + "." : "[" + r.getIndex() + "].")
          .collect(Collectors.joining());
      throw new SpecException(prefix + parent + e.getPropertyName() + ": unknown field; allowed fields are " + known);
    } catch (JsonMappingException e) {
      StringBuilder path = new StringBuilder();
      JsonNode value = node;
      for (JsonMappingException.Reference r : e.getPath()) {
        if (r.getFieldName() != null) {
          path.append(path.length() == 0 ? "" : ".").append(r.getFieldName());
          value = value.path(r.getFieldName());
        } else {
          path.append('[').append(r.getIndex()).append(']');
          value = value.path(r.getIndex());
        }
      }
      Class<?> target = e instanceof com.fasterxml.jackson.databind.exc.MismatchedInputException m ? m.getTargetType() : null;
      throw new SpecException(prefix + path + " = " + value + " has the wrong type; expected " + describe(target));
    } catch (IOException e) {
      throw new SpecException(prefix + " cannot be read: " + e.getMessage());
    }
  }

  private static String describe(Class<?> type) {
    if (type == null) {
      return "a value of the documented type (docs/task-specs.md)";
    }
    if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
      return "an integer";
    }
    if (type == Double.class || type == double.class) {
      return "a number";
    }
    if (type == String.class) {
      return "a string";
    }
    if (java.util.Collection.class.isAssignableFrom(type)) {
      return "a list such as [64, 32]";
    }
    return "a " + type.getSimpleName();
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  private static String stripExtension(Path file) {
    String n = file.getFileName().toString();
    int dot = n.lastIndexOf('.');
    return dot > 0 ? n.substring(0, dot) : n;
  }

  /** Canonical JSON of any tree (keys sorted), for hashing configs. */
  public static String canonicalJsonOf(JsonNode node) {
    try {
      Object plain = JSON.treeToValue(node, Object.class);
      return JSON.copy().configure(com.fasterxml.jackson.databind.SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true)
          .writeValueAsString(plain);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Canonical JSON of a (resolved) spec: sorted keys, no nulls; the input of {@link SpecHash}. */
  public static String canonicalJson(TaskSpec spec) {
    try {
      return JSON.writeValueAsString(spec);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
