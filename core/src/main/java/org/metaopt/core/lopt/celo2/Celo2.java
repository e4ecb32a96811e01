package org.metaopt.core.lopt.celo2;

import java.util.Map;
import java.util.SplittableRandom;
import org.metaopt.core.lopt.LearnedOptimizer;
import org.metaopt.core.lopt.LearnedUpdate;
import org.metaopt.core.tensor.ParamLayout;

/**
 * The {@code celo2} architecture: Celo2 (Moudgil et al., ICLR 2026; {@code amoudgl/celo},
 * {@code celo2_optax.py}), a per-parameter MLP over 30 Adafactor-style features whose output, per weight matrix, is
 * orthogonalized by Newton–Schulz and normalized to RMS 1; vectors take an Adam-like step. RESEARCH.md § Celo2.
 *
 * <p><b>Matrices</b> (rank ≥ 2: a dense weight as stored, {@code [in, out]}; a convolution kernel
 * {@code [out, in, kh, kw]} viewed as {@code out × (in·kh·kw)}, as Muon does — the reference factors a conv kernel
 * over its two largest axes instead): {@code g ← clip(g, ±1000)}; momenta {@code m_k ← β_k m_k + (1−β_k) g} at
 * {@link #MOMENTUM_DECAYS}; {@code v ← 0.95 v + 0.05 g²}; {@code r = 1/sqrt(v + 1e-8)}; Adafactor statistics per
 * decay in {@link #FACTORED_DECAYS} with d0 the larger axis and d1 the smaller (square: d1 = rows): {@code vS}
 * (along d1) ← β vS + (1−β) mean over d0 of {@code g² + 1e-30}, {@code vL} (along d0) likewise over d1;
 * {@code rowF = 1/sqrt(max(vS / (mean(vS) + 1e-9), 1e-9))}, {@code colF = 1/sqrt(max(vL, 1e-9))}. The 30 features,
 * in this order (the column order of {@code mlp0.weight}): 0 g; 1 clip(g, ±0.1); 2 p; 3–5 m_k; 6 v; 7–9 m_k r;
 * 10 r; 11–13 g rowF_k colF_k; 14 g r; 15–17 vS_k; 18–20 vL_k; 21–23 1/sqrt(vS_k + 1e-8); 24–26 1/sqrt(vL_k + 1e-8);
 * 27–29 m_k rowF_k colF_k; each channel divided by {@code sqrt(mean over the tensor of x² + 1e-9)}. No time
 * features, no bias correction. MLP {@code 30 → H → … → 3}, ReLU after every hidden layer; output 0 is the
 * direction {@code s} (outputs 1 and 2 are unused, as in the reference where their multiplier is 0);
 * {@code s ← NS(s)} (skipped with {@code ns: false}); {@code s ← s / sqrt(mean(s²) + 1e-9)};
 * {@code p ← p − η_t (s + λ p)}.
 *
 * <p><b>Vectors</b> (rank 1): {@code m ← 0.9 m + 0.1 g; v ← 0.95 v + 0.05 g²};
 * {@code p ← p − vectorLrMult·η_t (m / sqrt(v + 1e-8) + λ p)} (the meta-training code's {@code mult_1d} branch).
 *
 * <p><b>Learning rate</b>: {@code η_t = η × CosineSchedule(totalSteps).factor(t)} with schedule {@code cosine} and
 * {@code totalSteps > 0} (5% linear warm-up, cosine to 0 at the last step), else η. With {@code muScale > 0}
 * (μLO, Thérien et al.): hidden matrices — every matrix but the first and the last in layout order — have their
 * rate (step and decay alike) multiplied by {@code muScale / fanIn} ({@link org.metaopt.core.tensor.TensorSpec#fanIn}).
 *
 * <p><b>θ layout</b>: {@code mlp0.weight[H0, 30]}, {@code mlp0.bias[H0]}, {@code mlpL.weight[HL, H(L−1)]},
 * {@code mlpL.bias[HL]} for each further hidden layer, {@code out.weight[3, H]}, {@code out.bias[3]} (row = output
 * unit). H = [8, 8]: 347 numbers, the reference's size.
 *
 * <p><b>Initial θ</b> ({@code init}): {@code random} is the authors' init — truncated normal (±2σ,
 * σ = 1/sqrt(fan_in)), biases 0 — whose direction is a random function of the features. {@code momentum} (the
 * default, for a small meta-training budget) starts from it and then, as {@code mlp-lopt} does, makes hidden units 0
 * and 1 of every layer carry ± the normalized 0.9 momentum (feature 3) through the ReLUs, reads the direction as
 * {@code u0 − u1} and scales the other units' output weights by 0.01: θ0 is close to normalized momentum,
 * orthogonalized, at RMS 1 — Muon without Nesterov on matrices.
 *
 * <p>Deviations, all for robustness: a non-finite gradient entry is treated as 0; the ±1000 clip also applies to
 * vectors' gradients (the reference's Adam branch has none; it keeps {@code g²} finite in float, and a run whose
 * gradients stay beyond 1000 takes the same normalized steps); per-tensor sums are accumulated in double.
 *
 * <p>Immutable and thread-safe; the optimizers it creates are not.
 */
public final class Celo2 implements LearnedOptimizer {
  /** The name in configs and version files. */
  public static final String ARCHITECTURE = "celo2";
  /** Momentum decays β_k. */
  static final float[] MOMENTUM_DECAYS = {0.9f, 0.99f, 0.999f};
  /** Adafactor statistics' decays. */
  static final float[] FACTORED_DECAYS = {0.9f, 0.99f, 0.999f};
  /** Decay of the second moment v. */
  static final float RMS_DECAY = 0.95f;
  /** Decay of the vector branch's momentum. */
  static final float VECTOR_MOMENTUM = 0.9f;
  /** Gradient clip. */
  static final float CLIP = 1000f;
  /** Clip of feature 1. */
  static final float FEATURE_CLIP = 0.1f;
  /** Input features. */
  public static final int FEATURES = 30;
  /** Outputs of the MLP (only output 0, the direction, is used). */
  public static final int OUTPUTS = 3;
  /** The feature the momentum θ0 passes through: the 0.9 momentum. */
  static final int INIT_FEATURE = 3;
  /** Scale of the momentum θ0's output weights other than units 0 and 1. */
  static final double INIT_OTHER_OUTPUTS = 0.01;

  private final Celo2Config config;
  private final int[] hidden;
  private final ParamLayout layout;

  public Celo2(Celo2Config config) {
    if (config == null) {
      throw new IllegalArgumentException("config must not be null");
    }
    this.config = config;
    this.hidden = config.hidden().stream().mapToInt(Integer::intValue).toArray();
    ParamLayout.Builder b = ParamLayout.builder();
    int in = FEATURES;
    for (int l = 0; l < hidden.length; l++) {
      b.add("mlp" + l + ".weight", hidden[l], in).add("mlp" + l + ".bias", hidden[l]);
      in = hidden[l];
    }
    this.layout = b.add("out.weight", OUTPUTS, in).add("out.bias", OUTPUTS).build();
  }

  /** The defaults ({@link Celo2Config#defaults()}). */
  public static Celo2 defaults() {
    return new Celo2(Celo2Config.defaults());
  }

  /** From version-file hyperparameters ({@link Celo2Config#fromMap}). */
  public static Celo2 fromHyperparameters(Map<String, Object> h) {
    return new Celo2(Celo2Config.fromMap(h));
  }

  public Celo2Config config() {
    return config;
  }

  @Override
  public String architecture() {
    return ARCHITECTURE;
  }

  @Override
  public Map<String, Object> hyperparameters() {
    return config.toMap();
  }

  @Override
  public ParamLayout metaLayout() {
    return layout;
  }

  /** Hidden-layer sizes (a copy). */
  int[] hidden() {
    return hidden.clone();
  }

  @Override
  public float[] initialMetaParams(long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    float[] theta = new float[layout.size()];
    int in = FEATURES;
    boolean momentum = config.init() == Celo2Config.Init.MOMENTUM;
    for (int l = 0; l < hidden.length; l++) {
      int w = layout.tensor("mlp" + l + ".weight").offset();
      org.metaopt.core.lopt.Init.truncatedNormal(theta, w, hidden[l] * in, 1 / Math.sqrt(in), rng);
      if (momentum) { // units 0 and 1 carry +/- the normalized 0.9 momentum: relu(x) - relu(-x) = x
        java.util.Arrays.fill(theta, w, w + 2 * in, 0f);
        theta[w + (l == 0 ? INIT_FEATURE : 0)] = 1;
        theta[w + in + (l == 0 ? INIT_FEATURE : 1)] = l == 0 ? -1 : 1;
      }
      in = hidden[l];
    }
    int out = layout.tensor("out.weight").offset();
    org.metaopt.core.lopt.Init.truncatedNormal(theta, out, OUTPUTS * in,
        (momentum ? INIT_OTHER_OUTPUTS : 1) / Math.sqrt(in), rng);
    if (momentum) {
      theta[out] = 1;
      theta[out + 1] = -1;
    }
    return theta;
  }

  @Override
  public LearnedUpdate create(float[] theta, ParamLayout taskLayout, int totalSteps) {
    checkTheta(theta, layout.size());
    return new Celo2Optimizer(this, theta.clone(), taskLayout, totalSteps);
  }

  /** Requires θ to have {@code expected} finite entries. */
  static void checkTheta(float[] theta, int expected) {
    if (theta == null || theta.length != expected) {
      throw new IllegalArgumentException("learned optimizer '" + ARCHITECTURE + "' needs theta of length " + expected
          + ", got " + (theta == null ? "null" : theta.length));
    }
    for (int i = 0; i < theta.length; i++) {
      if (!Float.isFinite(theta[i])) {
        throw new IllegalArgumentException("learned optimizer '" + ARCHITECTURE + "' got non-finite theta[" + i
            + "] = " + theta[i]);
      }
    }
  }

  @Override
  public String toString() {
    return ARCHITECTURE + new java.util.TreeMap<>(config.toMap());
  }
}
