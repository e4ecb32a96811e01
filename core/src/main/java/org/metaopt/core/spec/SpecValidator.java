package org.metaopt.core.spec;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Fills a parsed {@link TaskSpec}'s defaults for its family and checks every field's range, naming the place,
 * field, value and allowed range on failure. Stateless.
 */
public final class SpecValidator {
  /** Fashion-MNIST's fixed sizes. */
  public static final int FASHION_TRAIN = 60_000;

  public static final int FASHION_TEST = 10_000;
  private static final int MAX_EXAMPLES = 1_000_000;
  private static final Set<String> ACTIVATIONS = Set.of("relu", "tanh", "sigmoid");

  private SpecValidator() {}

  /**
   * Resolves {@code raw}; {@code where} prefixes every message (for example {@code "suite.yaml: tasks[2]"}).
   * Relative paths (a plug-in family's {@code network}) are resolved against the working directory.
   *
   * @throws SpecException on a missing, inapplicable or out-of-range field
   */
  public static TaskSpec resolve(TaskSpec raw, String where) {
    return resolve(raw, where, null);
  }

  /**
   * Resolves {@code raw} as {@link #resolve(TaskSpec, String)}, with relative paths resolved against
   * {@code baseDir} (the spec file's directory; null: the working directory). A plug-in family
   * ({@link TaskFamilies}) gets the shared classifier fields resolved here and its own fields checked by its
   * provider.
   *
   * @throws SpecException on a missing, inapplicable or out-of-range field
   */
  public static TaskSpec resolve(TaskSpec raw, String where, java.nio.file.Path baseDir) {
    Checker c = new Checker(where);
    if (raw.family() == null) {
      throw c.fail("family", null, "one of " + TaskFamilies.allowed());
    }
    Family fam = Family.bySpecName(raw.family());
    TaskFamilyProvider plugin = fam == null ? TaskFamilies.find(raw.family()) : null;
    if (fam == null && plugin == null) {
      throw c.fail("family", "'" + raw.family() + "'", "one of " + TaskFamilies.allowed()
          + " (plug-in families such as dl4j are there when their module, e.g. metaopt-dl4j, is on the class path)");
    }
    String family = fam != null ? fam.specName() : plugin.family();
    String name = raw.name() != null ? raw.name() : family;
    if (name.isBlank()) {
      throw c.fail("name", "''", "a non-empty string");
    }
    long seed = raw.seed() != null ? raw.seed() : 0L;
    int steps = c.range("steps", raw.steps(), fam != null ? defaultSteps(fam) : defaultSteps(Family.MLP), 1,
        100_000_000);
    double gradientNoise = c.range("gradientNoise", raw.gradientNoise(), 0.0, 0.0, 1e6);

    FamilyFields f = new FamilyFields(raw, fam, c);
    if (fam == null) {
      f.plugin(family);
    } else {
      c.notFor(fam, "network", raw.network());
      switch (fam.kind()) {
        case DATA_FREE -> f.dataFree();
        case REGRESSION -> f.regression();
        case CLASSIFIER -> f.classifier();
        default -> throw new AssertionError(fam);
      }
    }
    TaskSpec resolved = new TaskSpec(name, family, f.dataset, f.hidden, f.activation, f.batchSize, f.train,
        f.validation, f.test, f.imageSize, f.dim, f.kappa, f.noise, steps, seed, f.channels, f.classes,
        gradientNoise, raw.network());
    return plugin == null ? resolved : plugin.resolve(resolved, where, baseDir);
  }

  /**
   * The fields that depend on the family's kind, resolved from {@code raw} (null where they do not apply, which
   * also rejects them when given).
   */
  private static final class FamilyFields {
    private final TaskSpec raw;
    private final Family fam;
    private final Checker c;
    String dataset;
    List<Integer> hidden;
    String activation;
    Integer batchSize;
    Integer train;
    Integer validation;
    Integer test;
    Integer imageSize;
    Integer dim;
    Double kappa;
    Double noise;
    List<Integer> channels;
    Integer classes;

    FamilyFields(TaskSpec raw, Family fam, Checker c) {
      this.raw = raw;
      this.fam = fam;
      this.c = c;
    }

    /** Test functions and quadratics: a dimension (and condition number), no data or network. */
    void dataFree() {
      c.notFor(fam, "dataset", raw.dataset());
      c.notFor(fam, "hidden", raw.hidden());
      c.notFor(fam, "activation", raw.activation());
      c.notFor(fam, "batchSize", raw.batchSize());
      c.notFor(fam, "trainExamples", raw.trainExamples());
      c.notFor(fam, "validationExamples", raw.validationExamples());
      c.notFor(fam, "testExamples", raw.testExamples());
      c.notFor(fam, "imageSize", raw.imageSize());
      c.notFor(fam, "channels", raw.channels());
      c.notFor(fam, "classes", raw.classes());
      if (fam == Family.QUADRATIC) {
        dim = c.range("dim", raw.dim(), 20, 1, 2048);
        kappa = c.range("conditionNumber", raw.conditionNumber(), 10.0, 1.0, 1e8);
      } else {
        c.notFor(fam, "conditionNumber", raw.conditionNumber());
        int fixed = switch (fam) {
          case BEALE, BOOTH, MATYAS -> 2;
          default -> 0;
        };
        if (fixed > 0) {
          dim = c.range("dim", raw.dim(), fixed, fixed, fixed);
        } else {
          dim = c.range("dim", raw.dim(), 2, 1, 100_000);
        }
      }
      noise = c.range("noise", raw.noise(), 0.0, 0.0, 1e6);
    }

    /** Linear regression on synthetic data. */
    void regression() {
      c.notFor(fam, "dataset", raw.dataset() == null || raw.dataset().equals("synthetic") ? null : raw.dataset());
      dataset = "synthetic";
      c.notFor(fam, "hidden", raw.hidden());
      c.notFor(fam, "activation", raw.activation());
      c.notFor(fam, "imageSize", raw.imageSize());
      c.notFor(fam, "conditionNumber", raw.conditionNumber());
      c.notFor(fam, "channels", raw.channels());
      c.notFor(fam, "classes", raw.classes());
      dim = c.range("dim", raw.dim(), 100, 1, 100_000);
      train = c.range("trainExamples", raw.trainExamples(), 250, 1, MAX_EXAMPLES);
      validation = c.range("validationExamples", raw.validationExamples(), 250, 0, MAX_EXAMPLES);
      test = c.range("testExamples", raw.testExamples(), 1000, 0, MAX_EXAMPLES);
      batchSize = c.range("batchSize", raw.batchSize(), train, 1, train);
      noise = c.range("noise", raw.noise(), 0.5, 0.0, 1e6);
    }

    /**
     * A plug-in family: a classifier on the shared data fields whose network comes from its own file
     * ({@code network}, checked by its provider), so no hidden, activation or channels.
     */
    void plugin(String family) {
      String context = "family " + family;
      c.notFor(context, "hidden", raw.hidden());
      c.notFor(context, "activation", raw.activation());
      c.notFor(context, "channels", raw.channels());
      c.notFor(context, "conditionNumber", raw.conditionNumber());
      data();
    }

    /** Logistic regression, MLPs and conv nets on Fashion-MNIST or synthetic data. */
    void classifier() {
      c.notFor(fam, "conditionNumber", raw.conditionNumber());
      data();
      if (fam == Family.LOGISTIC) {
        c.notFor(fam, "hidden", raw.hidden());
        c.notFor(fam, "activation", raw.activation());
        c.notFor(fam, "channels", raw.channels());
      } else {
        network();
      }
    }

    /** The data set, its split sizes, the batch size and the label noise of a classifier. */
    private void data() {
      dataset = raw.dataset() != null ? raw.dataset() : "fashion-mnist";
      if (!dataset.equals("fashion-mnist") && !dataset.equals("synthetic")) {
        throw c.fail("dataset", "'" + dataset + "'", "fashion-mnist or synthetic");
      }
      if (dataset.equals("fashion-mnist")) {
        fashionData();
      } else {
        syntheticData();
      }
      batchSize = c.range("batchSize", raw.batchSize(), Math.min(128, train), 1, train);
      noise = c.range("noise", raw.noise(), 0.0, 0.0, 1.0);
    }

    private void fashionData() {
      c.notFor("dataset fashion-mnist", "dim", raw.dim());
      c.notFor("dataset fashion-mnist", "classes", raw.classes());
      imageSize = c.range("imageSize", raw.imageSize(), 28, 7, 28);
      if (imageSize != 28 && imageSize != 14 && imageSize != 7) {
        throw c.fail("imageSize", imageSize, "28, 14 or 7");
      }
      validation = c.range("validationExamples", raw.validationExamples(), 0, 0, FASHION_TRAIN - 1);
      train = c.range("trainExamples", raw.trainExamples(), FASHION_TRAIN - validation, 1, FASHION_TRAIN - validation);
      test = c.range("testExamples", raw.testExamples(), FASHION_TEST, 0, FASHION_TEST);
    }

    private void syntheticData() {
      c.notFor("dataset synthetic", "imageSize", raw.imageSize());
      dim = c.range("dim", raw.dim(), fam == Family.CONV ? 64 : 20, 1, 100_000);
      classes = c.range("classes", raw.classes(), 10, 2, 1000);
      train = c.range("trainExamples", raw.trainExamples(), 2000, 1, MAX_EXAMPLES);
      validation = c.range("validationExamples", raw.validationExamples(), 500, 0, MAX_EXAMPLES);
      test = c.range("testExamples", raw.testExamples(), 2000, 0, MAX_EXAMPLES);
      if (fam == Family.CONV) {
        int side = (int) Math.round(Math.sqrt(dim));
        if (side * side != dim || side < 2) {
          throw c.fail("dim", dim, "a perfect square >= 4 for a conv net on synthetic images (e.g. 64 = 8x8)");
        }
      }
    }

    /** MLPs and conv nets: activation, hidden widths and (conv) channels. */
    private void network() {
      activation = raw.activation() != null ? raw.activation() : "relu";
      if (!ACTIVATIONS.contains(activation)) {
        throw c.fail("activation", "'" + activation + "'", "relu, tanh or sigmoid");
      }
      hidden = c.widths("hidden", raw.hidden(), fam == Family.MLP ? List.of(128) : List.of(), 0, 16);
      if (fam == Family.CONV) {
        channels = c.widths("channels", raw.channels(), List.of(8), 1, 4);
      } else {
        c.notFor(fam, "channels", raw.channels());
      }
    }
  }

  private static int defaultSteps(Family fam) {
    return switch (fam.kind()) {
      case DATA_FREE -> 100;
      case REGRESSION -> 40;
      case CLASSIFIER -> 1000;
    };
  }

  /** Range checks that name the place in the file. */
  private record Checker(String where) {
    SpecException fail(String field, Object value, String allowed) {
      String v = value == null ? "missing" : "= " + value;
      return new SpecException(where + "." + field + " " + v + " is not allowed; expected " + allowed);
    }

    void notFor(Family fam, String field, Object value) {
      notFor("family " + fam.specName(), field, value);
    }

    void notFor(String context, String field, Object value) {
      if (value != null) {
        throw new SpecException(where + "." + field + " = " + value + " does not apply to " + context
            + "; remove it (see docs/task-specs.md for the fields each family takes)");
      }
    }

    int range(String field, Integer value, int dflt, int lo, int hi) {
      int v = value != null ? value : dflt;
      if (v < lo || v > hi) {
        throw fail(field, v, "an integer in [" + lo + ", " + hi + "]");
      }
      return v;
    }

    double range(String field, Double value, double dflt, double lo, double hi) {
      double v = value != null ? value : dflt;
      if (!(v >= lo && v <= hi)) {
        throw fail(field, v, "a number in [" + lo + ", " + hi + "]");
      }
      return v;
    }

    List<Integer> widths(String field, List<Integer> value, List<Integer> dflt, int minCount, int maxCount) {
      List<Integer> v = value != null ? value : dflt;
      if (v.size() < minCount || v.size() > maxCount) {
        throw fail(field, v, "a list of " + minCount + " to " + maxCount + " widths");
      }
      List<Integer> out = new ArrayList<>();
      for (int i = 0; i < v.size(); i++) {
        Integer w = v.get(i);
        if (w == null || w < 1 || w > 65_536) {
          throw fail(field + "[" + i + "]", w, "an integer in [1, 65536]");
        }
        out.add(w);
      }
      return out;
    }
  }
}
