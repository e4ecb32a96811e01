package org.metaopt.core.lopt;

import org.metaopt.core.kernel.FastMath;

import org.metaopt.core.kernel.BlockOps;

import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.metaopt.core.tensor.ParamLayout;

/**
 * The {@code rnnprop} architecture: Lv et al. 2017 ("Learning Gradient Descent: Better Generalization and Longer
 * Horizons"), Open-L2O's L2O-RNNprop — a coordinatewise two-layer LSTM (20 units) on Adam-normalized inputs,
 * with a bounded output.
 *
 * <p><b>Features</b>: with Adam moments {@code m = b1 m + (1-b1) g}, {@code v = b2 v + (1-b2) g^2},
 * b1 = b2 = 0.95, {@code mh = m / (1 - b1^t)}, {@code vh = v / (1 - b2^t)}: {@code mh / (sqrt(vh) + eps)} and
 * {@code g / (sqrt(vh) + eps)}, eps = 1e-8, each clipped to [-10, 10] (their natural range is
 * {@code |.| <= 1/sqrt(1 - b2) ~ 4.5}; the clip binds only when {@code g^2} saturates float and v is stored at
 * float's maximum). They go through a linear layer to H units and ELU (as the paper's preprocessing), then the
 * LSTM ({@link CoordinateLstm}), then a linear output. <b>Update</b>: {@code w += stepScale * tanh(out)},
 * stepScale = 0.1 (the paper's alpha), so no coordinate moves more than 0.1 per step.
 *
 * <p><b>θ layout</b>: {@code in.weight[H, 2]}, {@code in.bias[H]}, {@code lstm1.weight[4H, 2H]},
 * {@code lstm1.bias[4H]}, {@code lstm2.weight[4H, 2H]}, {@code lstm2.bias[4H]}, {@code out.weight[1, H]},
 * {@code out.bias[1]}: 6,641 numbers at H = 20.
 *
 * <p><b>Initial θ</b>: random (Sonnet-style) weights, except that input units 0 and 1 compute
 * {@code ELU(±mh/sqrt(vh))}, LSTM unit 0 of layer 1 reads their difference and unit 0 of layer 2 passes it on
 * (open input/output gates, closed forget gate), and the output reads {@code -0.5 x} that unit: the initial
 * optimizer is close to Adam ({@code b1 = b2 = 0.95}) with a step of about {@code 0.1 tanh(0.27 * 4 mh/sqrt(vh))}
 * for small ratios, saturating near 0.025 for consistent gradients. Non-finite gradient entries are treated as 0.
 * Immutable and thread-safe; the optimizers it creates are not.
 */
public final class RnnProp implements LearnedOptimizer {
  /** The name in configs and version files. */
  public static final String ARCHITECTURE = "rnnprop";
  static final Set<String> KEYS = Set.of("hiddenSize", "beta1", "beta2", "epsilon", "stepScale");
  static final int BLOCK = 256;
  static final float FEATURE_CLIP = 10f;

  private final int hidden;
  private final double beta1;
  private final double beta2;
  private final double epsilon;
  private final double stepScale;
  private final ParamLayout layout;

  /**
   * @param hidden units of the input layer and of each LSTM layer, in [2, 256]
   * @param beta1 first-moment decay, in (0, 1)
   * @param beta2 second-moment decay, in (0, 1)
   * @param epsilon added to {@code sqrt(vh)}, in (0, 1]
   * @param stepScale bound of the per-coordinate step, in (0, 10]
   */
  public RnnProp(int hidden, double beta1, double beta2, double epsilon, double stepScale) {
    if (hidden < 2 || hidden > 256 || !(beta1 > 0 && beta1 < 1) || !(beta2 > 0 && beta2 < 1)
        || !(epsilon > 0 && epsilon <= 1) || !(stepScale > 0 && stepScale <= 10)) {
      throw new IllegalArgumentException("rnnprop needs hiddenSize in [2, 256], beta1 and beta2 in (0, 1), epsilon"
          + " in (0, 1], stepScale in (0, 10]; got " + hidden + ", " + beta1 + ", " + beta2 + ", " + epsilon + ", "
          + stepScale);
    }
    this.hidden = hidden;
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.epsilon = epsilon;
    this.stepScale = stepScale;
    ParamLayout.Builder b = ParamLayout.builder().add("in.weight", hidden, 2).add("in.bias", hidden);
    this.layout = CoordinateLstm.addTo(b, hidden, hidden).add("out.weight", 1, hidden).add("out.bias", 1).build();
  }

  /** The paper's configuration: 20 units, b1 = b2 = 0.95, eps = 1e-8, step scale 0.1. */
  public static RnnProp defaults() {
    return new RnnProp(20, 0.95, 0.95, 1e-8, 0.1);
  }

  /** From hyperparameters ({@code hiddenSize, beta1, beta2, epsilon, stepScale}). */
  public static RnnProp fromHyperparameters(Map<String, Object> h) {
    Hyper.requireKnown(ARCHITECTURE, h, KEYS);
    return new RnnProp(Hyper.intValue(ARCHITECTURE, h, "hiddenSize", 20, 2, 256),
        Hyper.doubleValue(ARCHITECTURE, h, "beta1", 0.95, 0, 0.999999),
        Hyper.doubleValue(ARCHITECTURE, h, "beta2", 0.95, 0, 0.999999),
        Hyper.doubleValue(ARCHITECTURE, h, "epsilon", 1e-8, 0, 1),
        Hyper.doubleValue(ARCHITECTURE, h, "stepScale", 0.1, 0, 10));
  }

  @Override
  public String architecture() {
    return ARCHITECTURE;
  }

  @Override
  public Map<String, Object> hyperparameters() {
    return Map.of("hiddenSize", hidden, "beta1", beta1, "beta2", beta2, "epsilon", epsilon, "stepScale",
        stepScale);
  }

  @Override
  public ParamLayout metaLayout() {
    return layout;
  }

  @Override
  public float[] initialMetaParams(long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    float[] theta = new float[layout.size()];
    int in = layout.tensor("in.weight").offset();
    Init.truncatedNormal(theta, in, 2 * hidden, 1 / Math.sqrt(2), rng);
    theta[in] = 1f;
    theta[in + 1] = 0f;
    theta[in + 2] = -1f;
    theta[in + 3] = 0f;
    CoordinateLstm.initLayer(theta, layout.tensor("lstm1.weight").offset(), layout.tensor("lstm1.bias").offset(),
        hidden, 2 * hidden, rng, new int[] {0, 1}, new float[] {1f, -1f});
    CoordinateLstm.initLayer(theta, layout.tensor("lstm2.weight").offset(), layout.tensor("lstm2.bias").offset(),
        hidden, 2 * hidden, rng, new int[] {0}, new float[] {1f});
    int out = layout.tensor("out.weight").offset();
    Init.truncatedNormal(theta, out, hidden, 0.01 / Math.sqrt(hidden), rng);
    theta[out] = -0.5f;
    return theta;
  }

  @Override
  public LearnedUpdate create(float[] theta, ParamLayout taskLayout, int totalSteps) {
    Hyper.checkTheta(ARCHITECTURE, theta, layout.size());
    return new Opt(theta.clone(), taskLayout.size());
  }

  /** One RNNprop run: Adam moments, the input layer, the LSTM, the tanh output. Not thread-safe. */
  private final class Opt implements LearnedUpdate {
    private final float[] theta;
    private final int size;
    private final float[] m;
    private final float[] v;
    private final CoordinateLstm lstm;
    private final float[] x = new float[2 * BLOCK];
    private final float[] e;
    private final float[] out = new float[BLOCK];
    private final int inW;
    private final int inB;
    private final int outW;
    private final int outB;
    private final StateArrays state;
    private long t;

    Opt(float[] theta, int size) {
      this.theta = theta;
      this.size = size;
      this.m = new float[size];
      this.v = new float[size];
      this.lstm = new CoordinateLstm(theta, layout, hidden, hidden, size, BLOCK);
      this.state = StateArrays.of(m, v, lstm.stateArrays());
      this.e = new float[hidden * BLOCK];
      this.inW = layout.tensor("in.weight").offset();
      this.inB = layout.tensor("in.bias").offset();
      this.outW = layout.tensor("out.weight").offset();
      this.outB = layout.tensor("out.bias").offset();
    }

    @Override
    public void setMetaParams(float[] newTheta) {
      Hyper.checkTheta(ARCHITECTURE, newTheta, theta.length);
      System.arraycopy(newTheta, 0, theta, 0, theta.length);
      lstm.pack();
    }

    @Override
    public void step(float[] params, float[] grad) {
      LoptChecks.sizes(ARCHITECTURE, size, params, grad);
      t++;
      final float b1 = (float) beta1;
      final float b2 = (float) beta2;
      final float c1 = 1f / (float) (1 - Math.pow(beta1, t));
      final float c2 = 1f / (float) (1 - Math.pow(beta2, t));
      final float eps = (float) epsilon;
      final float alpha = (float) stepScale;
      final float[] x = this.x;
      final float[] e = this.e;
      for (int s = 0; s < size; s += BLOCK) {
        final int len = Math.min(BLOCK, size - s);
        for (int b = 0; b < len; b++) {
          final int i = s + b;
          float g = FastMath.finiteOrZero(grad[i]);
          float mi = b1 * m[i] + (1 - b1) * g;
          // g^2 in double, saturated at float's maximum, so |g| up to 3.4e38 keeps v finite
          float vi = (float) Math.min(Float.MAX_VALUE, b2 * (double) v[i] + (1 - b2) * ((double) g * g));
          m[i] = mi;
          v[i] = vi;
          float denom = (float) Math.sqrt(vi * c2) + eps;
          x[b] = Math.max(-FEATURE_CLIP, Math.min(FEATURE_CLIP, mi * c1 / denom));
          x[BLOCK + b] = Math.max(-FEATURE_CLIP, Math.min(FEATURE_CLIP, g / denom));
        }
        BlockOps.affine(theta, inW, 2, theta, inB, hidden, 2, x, e, BLOCK, len);
        for (int j = 0; j < hidden; j++) {
          final int o = j * BLOCK;
          for (int b = 0; b < len; b++) {
            float z = e[o + b];
            e[o + b] = z > 0 ? z : (float) Math.expm1(z);
          }
        }
        lstm.forward(e, s, len);
        BlockOps.affine(theta, outW, hidden, theta, outB, 1, hidden, lstm.top, out, BLOCK, len);
        for (int b = 0; b < len; b++) {
          params[s + b] += alpha * FastMath.tanh(out[b]);
        }
      }
    }

    @Override
    public void reset() {
      Arrays.fill(m, 0f);
      Arrays.fill(v, 0f);
      lstm.reset();
      t = 0;
    }

    @Override
    public int stateSize() {
      return state.size();
    }

    @Override
    public void saveState(float[] dst, int offset) {
      state.save(t, dst, offset);
    }

    @Override
    public void loadState(float[] src, int offset) {
      t = state.load(src, offset);
    }

    @Override
    public String name() {
      return ARCHITECTURE;
    }

    @Override
    public double learningRate() {
      return Double.NaN;
    }
  }
}
