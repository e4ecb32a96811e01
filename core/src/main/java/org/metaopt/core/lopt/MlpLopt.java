package org.metaopt.core.lopt;

import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.metaopt.core.tensor.ParamLayout;
import org.metaopt.core.tensor.TensorSpec;

/**
 * The {@code mlp-lopt} architecture: learned_optimization's {@code MLPLOpt} (Metz et al., "LOLv2"), a small MLP
 * applied to every parameter.
 *
 * <p><b>Features</b> (19 per parameter, as {@code mlp_lopt.py}): the gradient {@code g}, the parameter
 * {@code p}, and momenta {@code m_d = d m_d + (1 - d) g} at decays {@link #DECAYS} = 0.1, 0.5, 0.9, 0.99, 0.999,
 * 0.9999 — these 8 are each divided by {@code sqrt(1e-5 + mean(x^2))}, the mean over the parameter's
 * <em>tensor</em> (its {@link org.metaopt.core.tensor.TensorSpec}); then 11 features shared by all parameters,
 * {@code tanh(t / s - 1)} for timescales {@code s} in {@link #TIMESCALES} with {@code t} the 0-based step count.
 * <b>Output</b>: direction {@code d} and magnitude {@code m};
 * {@code p -= d * exp(m * expMult) * stepMult} (expMult = stepMult = 0.001 by default).
 *
 * <p><b>θ layout</b>: {@code mlp0.weight[H, 19]}, {@code mlp0.bias[H]}, then for each further hidden layer
 * {@code mlpL.weight[H, H]}, {@code mlpL.bias[H]}, then {@code out.weight[2, H]}, {@code out.bias[2]}
 * (row = output unit; ReLU after every hidden layer). H = 32, 2 hidden layers: 1,762 numbers.
 *
 * <p><b>Deviations from the reference</b>: (1) no RMS features — the reference has none (they belong to
 * {@code adafac_mlp_lopt}); (2) {@code totalSteps} is ignored unless {@code progressFeatures} is on, the reference embeds the absolute step count;
 * (3) the exponent {@code m * expMult} is clamped to [-60, 60] and non-finite gradient entries are treated as 0,
 * so the update is finite for any finite input; the normalizer's sums are accumulated in double so |g| up to
 * float's maximum does not overflow; (4) the initial θ is not Haiku's plain random init (whose steps are random
 * directions): on top of the Haiku init, hidden units 0 and 1 of every layer carry {@code ±} the normalized 0.9
 * momentum through the ReLUs and the direction output reads {@code initGain * (u0 - u1)}, while the other
 * units' output weights are scaled by 0.01 — so the initial optimizer is close to normalized momentum descent,
 * {@code p -= initGain * 0.001 * m_0.9 / rms(m_0.9)}.
 *
 * <p><b>Options beyond the reference</b> (off by default, so default θ and behaviour are the reference's):
 * {@code adamFeatures: 1} adds 3 per-coordinate features, Adam's bias-corrected normalized momenta
 * {@code m̂_d / (sqrt(v̂) + 1e-8)} for d = 0.5, 0.9, 0.99 with {@code v} the 0.999 EMA of {@code g^2} (as
 * learned_optimization's {@code adafac_mlp_lopt} adds second-moment features), and the initial direction reads the
 * 0.9 one, so θ0 is Adam with lr {@code initGain * stepMult}; {@code progressFeatures: 1} adds two shared
 * features of the training progress {@code p = t / totalSteps}: {@code p} and {@code -ln(r)} with
 * {@code r = max(1 - p, 1 / totalSteps)} the remaining fraction (both 0 when totalSteps is unknown), and with
 * {@code initDecay > 0} hidden unit 2 carries {@code -ln(r)} to the magnitude output with weight
 * {@code -initDecay / expMult}, so θ0's step is scaled by {@code r^initDecay} (1: linear decay to ~0): a schedule
 * meta-training can reshape. {@code fanInBase: B > 0} makes the step width-aware, as μP prescribes for Adam-like
 * updates and μLO (Thérien et al. 2024) for learned optimizers: every tensor of rank 2 or more (weights) has its
 * step scaled by {@code min(1, B / fanIn)} (never up: a 4x step on a fan-in of 8 oscillated), so that a learned step
 * size met on fan-ins near {@code B} carries over to wider layers (a 784-input layer of Fashion-MNIST after
 * meta-training on 7x7 images); vectors and biases keep theirs.
 * Per-coordinate features come first in {@code mlp0.weight}'s columns, then the shared ones (time embedding, then
 * progress).
 *
 * <p>Immutable and thread-safe; the optimizers it creates are not.
 */
public final class MlpLopt implements LearnedOptimizer {
  /** The name in configs and version files. */
  public static final String ARCHITECTURE = "mlp-lopt";
  /** Momentum decays, as {@code mlp_lopt.py}. */
  static final float[] DECAYS = {0.1f, 0.5f, 0.9f, 0.99f, 0.999f, 0.9999f};
  /** Timescales of the tanh step embedding, as {@code mlp_lopt.py}. */
  static final float[] TIMESCALES = {1, 3, 10, 30, 100, 300, 1000, 3000, 10000, 30000, 100000};
  /** Features normalized per tensor: g, p, and one momentum per decay. */
  static final int NORMALIZED = 2 + DECAYS.length;
  /** Decay indices (into {@link #DECAYS}) of the optional Adam-normalized momentum features: 0.5, 0.9, 0.99. */
  static final int[] ADAM_DECAYS = {1, 2, 3};
  /** Decay of the second moment behind the Adam features. */
  static final float ADAM_BETA2 = 0.999f;
  /** Index of the 0.9 momentum among the features, the one the initial θ passes through. */
  static final int INIT_FEATURE = 2 + 2;
  /** With Adam features: index of the Adam-normalized 0.9 momentum, the one the initial θ passes through. */
  static final int INIT_ADAM_FEATURE = NORMALIZED + 1;
  static final Set<String> KEYS = Set.of("hiddenSize", "hiddenLayers", "expMult", "stepMult", "initGain",
      "adamFeatures", "progressFeatures", "initDecay", "fanInBase");

  private final int hidden;
  private final int layers;
  private final double expMult;
  private final double stepMult;
  private final double initGain;
  private final boolean adamFeatures;
  private final boolean progressFeatures;
  private final double initDecay;
  private final double fanInBase;
  private final ParamLayout layout;

  /**
   * @param hidden hidden units per layer, in [2, 1024]
   * @param layers hidden layers, in [1, 8]
   * @param expMult magnitude multiplier inside the exponential, in (0, 1]
   * @param stepMult step multiplier, in (0, 1]
   * @param initGain direction gain of the initial θ on the normalized 0.9 momentum, in (0, 1000]
   */
  public MlpLopt(int hidden, int layers, double expMult, double stepMult, double initGain) {
    this(hidden, layers, expMult, stepMult, initGain, false, false, 0, 0);
  }

  /**
   * @param adamFeatures add the 3 Adam-normalized momentum features (and start from Adam's direction)
   * @param progressFeatures add the training-progress feature {@code t / totalSteps}
   * @param initDecay initial θ's step decay {@code r^initDecay} (r the remaining fraction), in [0, 20]; needs
   *     progressFeatures when > 0, and hidden >= 3
   * @param fanInBase 0 (off), or the width {@code B} of the width-aware step: a weight tensor's step is scaled by
   *     {@code min(1, B / fanIn)} ({@link TensorSpec#fanIn}), in [0, 1e6]
   */
  public MlpLopt(int hidden, int layers, double expMult, double stepMult, double initGain, boolean adamFeatures,
      boolean progressFeatures, double initDecay, double fanInBase) {
    if (hidden < 2 || hidden > 1024 || layers < 1 || layers > 8) {
      throw new IllegalArgumentException("hiddenSize must be in [2, 1024] and hiddenLayers in [1, 8], got "
          + hidden + " and " + layers);
    }
    for (double v : new double[] {expMult, stepMult}) {
      if (!(v > 0 && v <= 1)) {
        throw new IllegalArgumentException("expMult and stepMult must be in (0, 1], got " + expMult + ", "
            + stepMult);
      }
    }
    if (!(initGain > 0 && initGain <= 1000)) {
      throw new IllegalArgumentException("initGain must be in (0, 1000], got " + initGain);
    }
    if (!(initDecay >= 0 && initDecay <= 20) || (initDecay > 0 && (!progressFeatures || hidden < 3))) {
      throw new IllegalArgumentException("initDecay must be in [0, 20] and needs progressFeatures and hiddenSize >= 3"
          + " when > 0, got " + initDecay);
    }
    if (!(fanInBase >= 0 && fanInBase <= 1e6)) {
      throw new IllegalArgumentException("fanInBase must be in [0, 1e6] (0: off), got " + fanInBase);
    }
    this.fanInBase = fanInBase;
    this.adamFeatures = adamFeatures;
    this.progressFeatures = progressFeatures;
    this.initDecay = initDecay;
    this.hidden = hidden;
    this.layers = layers;
    this.expMult = expMult;
    this.stepMult = stepMult;
    this.initGain = initGain;
    ParamLayout.Builder b = ParamLayout.builder();
    for (int l = 0; l < layers; l++) {
      b.add("mlp" + l + ".weight", hidden, l == 0 ? features() : hidden).add("mlp" + l + ".bias", hidden);
    }
    this.layout = b.add("out.weight", 2, hidden).add("out.bias", 2).build();
  }

  /** The defaults: 32 x 2 hidden, expMult = stepMult = 0.001, initGain 10. */
  public static MlpLopt defaults() {
    return new MlpLopt(32, 2, 0.001, 0.001, 10);
  }

  /**
   * From hyperparameters ({@code hiddenSize, hiddenLayers, expMult, stepMult, initGain}, and the options
   * {@code adamFeatures, progressFeatures} (0 or 1) and {@code initDecay}).
   */
  public static MlpLopt fromHyperparameters(Map<String, Object> h) {
    Hyper.requireKnown(ARCHITECTURE, h, KEYS);
    double decay = h.containsKey("initDecay") ? Hyper.doubleValue(ARCHITECTURE, h, "initDecay", 0, -1, 20) : 0;
    try {
      return new MlpLopt(Hyper.intValue(ARCHITECTURE, h, "hiddenSize", 32, 2, 1024),
          Hyper.intValue(ARCHITECTURE, h, "hiddenLayers", 2, 1, 8),
          Hyper.doubleValue(ARCHITECTURE, h, "expMult", 0.001, 0, 1),
          Hyper.doubleValue(ARCHITECTURE, h, "stepMult", 0.001, 0, 1),
          Hyper.doubleValue(ARCHITECTURE, h, "initGain", 10, 0, 1000),
          Hyper.intValue(ARCHITECTURE, h, "adamFeatures", 0, 0, 1) == 1,
          Hyper.intValue(ARCHITECTURE, h, "progressFeatures", 0, 0, 1) == 1, decay,
          h.containsKey("fanInBase") ? Hyper.doubleValue(ARCHITECTURE, h, "fanInBase", 0, -1, 1e6) : 0);
    } catch (IllegalArgumentException e) {
      throw new org.metaopt.core.UserError("learned optimizer 'mlp-lopt': " + e.getMessage());
    }
  }

  @Override
  public String architecture() {
    return ARCHITECTURE;
  }

  @Override
  public Map<String, Object> hyperparameters() {
    if (!adamFeatures && !progressFeatures && fanInBase == 0) { // the reference's keys only, as older version files
      return Map.of("hiddenSize", hidden, "hiddenLayers", layers, "expMult", expMult, "stepMult", stepMult,
          "initGain", initGain);
    }
    if (fanInBase == 0) { // as version files before the width-aware step
      return Map.of("hiddenSize", hidden, "hiddenLayers", layers, "expMult", expMult, "stepMult", stepMult,
          "initGain", initGain, "adamFeatures", adamFeatures ? 1 : 0, "progressFeatures", progressFeatures ? 1 : 0,
          "initDecay", initDecay);
    }
    return Map.of("hiddenSize", hidden, "hiddenLayers", layers, "expMult", expMult, "stepMult", stepMult,
        "initGain", initGain, "adamFeatures", adamFeatures ? 1 : 0, "progressFeatures", progressFeatures ? 1 : 0,
        "initDecay", initDecay, "fanInBase", fanInBase);
  }

  /** Per-coordinate features: g, p, the momenta, and the Adam features when enabled. */
  int perCoordinateFeatures() {
    return NORMALIZED + (adamFeatures ? ADAM_DECAYS.length : 0);
  }

  /** Progress features: p and -ln(remaining fraction). */
  static final int PROGRESS = 2;

  /** Features shared by all coordinates: the time embedding and the progress when enabled. */
  int sharedFeatures() {
    return TIMESCALES.length + (progressFeatures ? PROGRESS : 0);
  }

  /** All input features. */
  int features() {
    return perCoordinateFeatures() + sharedFeatures();
  }

  boolean adamFeatures() {
    return adamFeatures;
  }

  boolean progressFeatures() {
    return progressFeatures;
  }

  @Override
  public ParamLayout metaLayout() {
    return layout;
  }

  int hidden() {
    return hidden;
  }

  int layers() {
    return layers;
  }

  float expMult() {
    return (float) expMult;
  }

  float stepMult() {
    return (float) stepMult;
  }

  /**
   * The step multiplier of one task tensor: {@code stepMult}, times {@code min(1, fanInBase / fanIn)} for tensors of
   * rank 2 or more when the width-aware step is on.
   */
  float stepMult(TensorSpec tensor) {
    return (float) (stepMult * tensor.widthScale(fanInBase));
  }

  @Override
  public float[] initialMetaParams(long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    float[] theta = new float[layout.size()];
    for (int l = 0; l < layers; l++) {
      int in = l == 0 ? features() : hidden;
      int w = layout.tensor("mlp" + l + ".weight").offset();
      Init.truncatedNormal(theta, w, hidden * in, 1 / Math.sqrt(in), rng);
      // units 0 and 1 carry +/- the normalized 0.9 momentum (relu(x) - relu(-x) = x)
      for (int k = 0; k < in; k++) {
        theta[w + k] = 0;
        theta[w + in + k] = 0;
      }
      int feature = adamFeatures ? INIT_ADAM_FEATURE : INIT_FEATURE;
      theta[w + (l == 0 ? feature : 0)] = 1;
      theta[w + in + (l == 0 ? feature : 1)] = l == 0 ? -1 : 1;
      if (initDecay > 0) { // unit 2 carries the progress (>= 0, so the ReLUs pass it)
        for (int k = 0; k < in; k++) {
          theta[w + 2 * in + k] = 0;
        }
        theta[w + 2 * in + (l == 0 ? features() - 1 : 2)] = 1;
      }
    }
    int out = layout.tensor("out.weight").offset();
    Init.truncatedNormal(theta, out, 2 * hidden, 0.01 / Math.sqrt(hidden), rng);
    theta[out] = (float) initGain;
    theta[out + 1] = (float) -initGain;
    if (initDecay > 0) {
      theta[out + 2] = 0;
      theta[out + hidden + 2] = (float) (-initDecay / expMult);
    }
    return theta;
  }

  @Override
  public LearnedUpdate create(float[] theta, ParamLayout taskLayout, int totalSteps) {
    Hyper.checkTheta(ARCHITECTURE, theta, layout.size());
    return new MlpLoptOptimizer(this, theta.clone(), taskLayout, totalSteps);
  }
}
