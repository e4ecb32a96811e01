package org.metaopt.dl4j;

import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.metaopt.core.UserError;
import org.metaopt.core.lopt.LearnedOptimizer;
import org.metaopt.core.lopt.LearnedUpdate;
import org.metaopt.core.lopt.registry.LearnedOptimizers;
import org.metaopt.core.tensor.ParamLayout;
import org.metaopt.core.version.OptimizerVersion;
import org.metaopt.core.version.ThetaHash;
import org.metaopt.core.version.VersionFiles;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonIgnore;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * A metaopt learned optimizer (any version file: celo2, mlp-lopt, hierarchical-rnn...) as a Deeplearning4j updater:
 * {@code .updater(LearnedUpdater.load(Path.of("pretrained/celo2.json")).withTotalSteps(1000))}, then after
 * {@code net.init()} one call to {@link #attach(MultiLayerNetwork)}.
 *
 * <p>The configuration holds the whole version (architecture, hyperparameters, θ as base64 float32 with its
 * SHA-256), the run's step count for learned schedules ({@code totalSteps}, 0: unknown) and, once attached, the
 * tensor layout of its updater block; it round-trips through DL4J's JSON (ND4J's shaded Jackson). DL4J hands an
 * updater one flat view and no shapes, so {@link #attach} reads the shapes from the network's updater blocks, writes
 * them into the configuration (rebuilding the network's updater, so that the state view gets its size) and gives
 * each block's {@link LearnedGradientUpdater} the parameters it needs. The optimizer's whole state (step counter,
 * moments, hidden states) lives in DL4J's updater view, so {@code ModelSerializer} saves and restores it; a
 * restored network is attached again (its configuration already carries the layout).
 *
 * <p>{@code stateSize(n)} is the block's state spread over its variables in proportion to their sizes (DL4J asks
 * per variable and sums per block): {@code ceil(n S / N)} for a block of N parameters and S state floats, 0 before
 * attaching. No learning rate in DL4J's sense ({@link #hasLearningRate()} is false: DL4J's weight decay, if
 * configured, is applied with rate 1; use the optimizer's own {@code weightDecay}).
 *
 * <p>Immutable and thread-safe (the runtime state is in the {@link GradientUpdater}s it instantiates).
 */
public final class LearnedUpdater implements IUpdater {
  private static final long serialVersionUID = 1L;

  @JsonProperty("architecture")
  private final String architecture;
  @JsonProperty("hyperparameters")
  private final Map<String, Object> hyperparameters;
  @JsonProperty("version")
  private final long version;
  @JsonProperty("theta")
  private final String theta;
  @JsonProperty("thetaSha256")
  private final String thetaSha256;
  @JsonProperty("totalSteps")
  private final int totalSteps;
  /** The attached block's tensors ({@link NetworkLayout#describe}), or null before {@link #attach}. */
  @JsonProperty("layout")
  private final String layout;

  @JsonIgnore
  private transient volatile Resolved resolved;

  /** The parsed form of the fields, built on first use. */
  private record Resolved(LearnedOptimizer arch, float[] theta, ParamLayout layout, int stateFloats) {}

  @JsonCreator
  public LearnedUpdater(@JsonProperty("architecture") String architecture,
      @JsonProperty("hyperparameters") Map<String, Object> hyperparameters, @JsonProperty("version") long version,
      @JsonProperty("theta") String theta, @JsonProperty("thetaSha256") String thetaSha256,
      @JsonProperty("totalSteps") int totalSteps, @JsonProperty("layout") String layout) {
    if (architecture == null || theta == null || thetaSha256 == null) {
      throw new IllegalArgumentException("LearnedUpdater needs architecture, theta and thetaSha256 (load it with "
          + "LearnedUpdater.load(versionFile))");
    }
    if (totalSteps < 0) {
      throw new IllegalArgumentException("LearnedUpdater totalSteps " + totalSteps + " must be >= 0 (0: unknown)");
    }
    LearnedOptimizer arch = LearnedOptimizers.create(architecture, hyperparameters);
    this.architecture = arch.architecture();
    this.hyperparameters = new TreeMap<>(arch.hyperparameters());
    this.version = version;
    this.theta = theta;
    this.thetaSha256 = thetaSha256;
    this.totalSteps = totalSteps;
    this.layout = layout;
    float[] th = decodeTheta(theta);
    if (th.length != arch.numMetaParams() || !ThetaHash.sha256(th).equals(thetaSha256)) {
      throw new IllegalArgumentException("LearnedUpdater θ does not fit: " + th.length + " values (" + architecture
          + " needs " + arch.numMetaParams() + "), SHA-256 " + ThetaHash.sha256(th) + " (recorded " + thetaSha256
          + ")");
    }
    LearnedUpdate probe = arch.create(th, ParamLayout.vector("probe", 1), 0);
    if (probe.looksAhead()) {
      throw new UserError(architecture + " version " + version + " looks ahead (it wants gradients at a point other "
          + "than the parameters, e.g. hierarchical-rnn with attention); a DL4J updater only sees the gradient at the "
          + "parameters, so it cannot run in DL4J. Use a version without attention");
    }
  }

  /**
   * The updater for a metaopt optimizer version file.
   *
   * @throws UserError when the file is missing, corrupt or holds an optimizer DL4J cannot run
   */
  public static LearnedUpdater load(Path versionFile) {
    return of(VersionFiles.read(versionFile));
  }

  /** The updater for an optimizer version (from a file, the versions topic, or a training run). */
  public static LearnedUpdater of(OptimizerVersion v) {
    return new LearnedUpdater(v.architecture(), v.hyperparameters(), v.version(),
        Base64.getEncoder().encodeToString(ThetaHash.bytes(v.theta())), v.thetaSha256(), 0, null);
  }

  /**
   * A copy that tells the optimizer the run's length, for learned and deployed schedules (celo2's warm-up + cosine,
   * mlp-lopt's progress features): pass the number of {@code fit} iterations the network will take.
   */
  public LearnedUpdater withTotalSteps(int steps) {
    return new LearnedUpdater(architecture, hyperparameters, version, theta, thetaSha256, steps, layout);
  }

  /** A copy with one hyperparameter changed (e.g. celo2's {@code lr}), validated by the architecture. */
  public LearnedUpdater withHyperparameter(String key, Object value) {
    Map<String, Object> h = new TreeMap<>(hyperparameters);
    h.put(key, value);
    return new LearnedUpdater(architecture, h, version, theta, thetaSha256, totalSteps, layout);
  }

  /** A copy for an updater block of this layout (what {@link #attach} writes into the configuration). */
  LearnedUpdater withLayout(ParamLayout blockLayout) {
    return new LearnedUpdater(architecture, hyperparameters, version, theta, thetaSha256, totalSteps,
        NetworkLayout.describe(blockLayout));
  }

  /**
   * Readies every updater block of {@code net} that uses a LearnedUpdater: records its tensor layout in the
   * configuration (rebuilding the network's updater the first time) and binds its parameters. Call it after
   * {@code net.init()} and after {@code ModelSerializer.restoreMultiLayerNetwork(...)}, before {@code fit}.
   *
   * @return the number of updater blocks attached
   * @throws IllegalStateException when the network is not initialized, uses no LearnedUpdater, or its layout does not
   *     match the one recorded in its configuration
   */
  public static int attach(MultiLayerNetwork net) {
    return UpdaterAttachment.attach(net);
  }

  /** The architecture ({@code celo2}, ...). */
  public String architecture() {
    return architecture;
  }

  /** The optimizer version number. */
  public long version() {
    return version;
  }

  /** SHA-256 of θ. */
  public String thetaSha256() {
    return thetaSha256;
  }

  /** The run length the schedule assumes, 0 when unknown. */
  public int totalSteps() {
    return totalSteps;
  }

  /** The hyperparameters, canonical (as the architecture reports them). */
  public Map<String, Object> hyperparameters() {
    return java.util.Collections.unmodifiableMap(hyperparameters);
  }

  /** The attached block's layout, or null before {@link #attach}. */
  ParamLayout blockLayout() {
    return resolve().layout();
  }

  /** A fresh optimizer for the attached layout; requires {@link #blockLayout()} non-null. */
  LearnedUpdate newOptimizer() {
    Resolved r = resolve();
    return r.arch().create(r.theta(), r.layout(), totalSteps);
  }

  /** Floats of optimizer state of the attached block (0 before attaching). */
  int stateFloats() {
    return resolve().stateFloats();
  }

  private Resolved resolve() {
    Resolved r = resolved;
    if (r == null) {
      LearnedOptimizer arch = LearnedOptimizers.create(architecture, hyperparameters);
      float[] th = decodeTheta(theta);
      ParamLayout l = layout == null ? null : NetworkLayout.parse(layout);
      int floats = l == null ? 0 : arch.create(th, l, totalSteps).stateSize();
      r = new Resolved(arch, th, l, floats);
      resolved = r;
    }
    return r;
  }

  private static float[] decodeTheta(String b64) {
    try {
      return ThetaHash.fromBytes(Base64.getDecoder().decode(b64));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("LearnedUpdater θ is not base64 float32 data", e);
    }
  }

  /** {@code ceil(numParams * S / N)}: this variable's share of the block's state, 0 before attaching. */
  @Override
  public long stateSize(long numParams) {
    if (layout == null) {
      return 0;
    }
    long n = resolve().layout().size();
    long s = stateFloats();
    return (numParams * s + n - 1) / n;
  }

  @Override
  public GradientUpdater instantiate(INDArray viewArray, boolean initializeViewArray) {
    return new LearnedGradientUpdater(this, viewArray, initializeViewArray);
  }

  @Override
  public GradientUpdater instantiate(Map<String, INDArray> updaterState, boolean initializeStateArrays) {
    throw new UnsupportedOperationException("LearnedUpdater runs in MultiLayerNetwork (attach it with "
        + "LearnedUpdater.attach(net)); SameDiff training configurations are not supported");
  }

  @Override
  public LearnedUpdater clone() {
    return new LearnedUpdater(architecture, hyperparameters, version, theta, thetaSha256, totalSteps, layout);
  }

  @Override
  public double getLearningRate(int iteration, int epoch) {
    return Double.NaN;
  }

  @Override
  public boolean hasLearningRate() {
    return false;
  }

  @Override
  public void setLrAndSchedule(double lr, ISchedule lrSchedule) {
    throw new UnsupportedOperationException("a learned optimizer sets its own steps; change a rate it has with "
        + "withHyperparameter(\"lr\", x) (celo2's η) or 'metaopt deploy --set lr=X'");
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LearnedUpdater u && u.architecture.equals(architecture)
        && u.hyperparameters.equals(hyperparameters) && u.version == version && u.thetaSha256.equals(thetaSha256)
        && u.totalSteps == totalSteps && Objects.equals(u.layout, layout);
  }

  @Override
  public int hashCode() {
    return Objects.hash(architecture, hyperparameters, version, thetaSha256, totalSteps, layout);
  }

  @Override
  public String toString() {
    return "LearnedUpdater(" + architecture + " v" + version + " " + thetaSha256.substring(0, 12) + ", totalSteps="
        + totalSteps + (layout == null ? ", not attached" : ", layout " + layout) + ")";
  }
}
