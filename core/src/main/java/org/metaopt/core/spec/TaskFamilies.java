package org.metaopt.core.spec;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * The plug-in task families on the class path ({@link TaskFamilyProvider}s found with {@link ServiceLoader}), loaded
 * once. Thread-safe.
 */
public final class TaskFamilies {
  private TaskFamilies() {}

  /** Lazily loaded providers by family name. */
  private static final class Holder {
    static final Map<String, TaskFamilyProvider> BY_NAME = load();

    private static Map<String, TaskFamilyProvider> load() {
      Map<String, TaskFamilyProvider> out = new TreeMap<>();
      for (TaskFamilyProvider p : ServiceLoader.load(TaskFamilyProvider.class, TaskFamilies.class.getClassLoader())) {
        String name = p.family().toLowerCase(Locale.ROOT);
        if (Family.bySpecName(name) != null) {
          throw new IllegalStateException("task family provider " + p.getClass().getName() + " claims the built-in "
              + "family name '" + name + "'");
        }
        TaskFamilyProvider before = out.putIfAbsent(name, p);
        if (before != null) {
          throw new IllegalStateException("two task family providers for '" + name + "': "
              + before.getClass().getName() + " and " + p.getClass().getName());
        }
      }
      return out;
    }
  }

  /** The provider of plug-in family {@code name} (case-insensitive), or null when none is on the class path. */
  public static TaskFamilyProvider find(String name) {
    return name == null ? null : Holder.BY_NAME.get(name.toLowerCase(Locale.ROOT));
  }

  /** The plug-in families' names, sorted. */
  public static List<String> names() {
    return new ArrayList<>(Holder.BY_NAME.keySet());
  }

  /** Every family a spec may name: the built-in ones, then the plug-ins ("quadratic, ..., dl4j"). */
  public static String allowed() {
    List<String> plugins = names();
    return plugins.isEmpty() ? Family.allowed() : Family.allowed() + ", " + String.join(", ", plugins);
  }
}
