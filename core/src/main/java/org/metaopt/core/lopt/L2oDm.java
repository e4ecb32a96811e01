package org.metaopt.core.lopt;

import org.metaopt.core.kernel.FastMath;

import org.metaopt.core.kernel.BlockOps;

import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.metaopt.core.tensor.ParamLayout;

/**
 * The {@code l2o-dm} architecture: Andrychowicz et al. 2016 ("learning to learn by gradient descent by gradient
 * descent") as configured for MNIST in deepmind/learning-to-learn and Open-L2O — a coordinatewise two-layer LSTM
 * (20 units each, weights shared across coordinates) on LogAndSign-preprocessed gradients, with a linear output
 * scaled by 0.01.
 *
 * <p><b>Features</b> (LogAndSign, k = 5, as {@code preprocess.LogAndSign} of learning-to-learn):
 * {@code max(-1, log(|g| + eps) / k)} and {@code clamp(g * e^k, -1, 1)}, eps = float32 machine epsilon. This is
 * the paper's piecewise definition up to eps ({@code (log|g|/k, sign g)} when {@code |g| >= e^-k}, else
 * {@code (-1, e^k g)}); like the reference, the log feature is not clipped above 1 (it stays below 17.8 for any
 * float). <b>Update</b>: {@code w += outputScale * (out.weight . h2 + out.bias)}.
 *
 * <p><b>θ layout</b>: {@code lstm1.weight[80, 22]}, {@code lstm1.bias[80]}, {@code lstm2.weight[80, 40]},
 * {@code lstm2.bias[80]}, {@code out.weight[1, 20]}, {@code out.bias[1]} (see {@link CoordinateLstm} for the
 * gate order): 5,141 numbers at 20 units.
 *
 * <p><b>Initial θ</b>: Sonnet-style random weights (forget bias +1), except that unit 0 of both layers passes the
 * sign feature through (open input/output gates, closed forget gate) and the output reads {@code -1 x} that unit
 * while the other units' output weights are ~0.01/sqrt(H): the initial optimizer is close to
 * {@code w -= 0.01 * s(g)} with {@code s} a smooth sign, about 0.005 sign(g) for {@code |g| > e^-5} and
 * {@code ~1.5 g} below. Non-finite gradient entries are treated as 0. Immutable and thread-safe; the optimizers
 * it creates are not.
 */
public final class L2oDm implements LearnedOptimizer {
  /** The name in configs and version files. */
  public static final String ARCHITECTURE = "l2o-dm";
  static final Set<String> KEYS = Set.of("hiddenSize", "k", "outputScale");
  static final int BLOCK = 256;

  private final int hidden;
  private final double k;
  private final double outputScale;
  private final ParamLayout layout;

  /**
   * @param hidden LSTM units per layer, in [2, 256]
   * @param k LogAndSign's k, in (0, 30]
   * @param outputScale multiplier of the linear output, in (0, 10]
   */
  public L2oDm(int hidden, double k, double outputScale) {
    if (hidden < 2 || hidden > 256 || !(k > 0 && k <= 30) || !(outputScale > 0 && outputScale <= 10)) {
      throw new IllegalArgumentException("l2o-dm needs hiddenSize in [2, 256], k in (0, 30], outputScale in (0, 10];"
          + " got " + hidden + ", " + k + ", " + outputScale);
    }
    this.hidden = hidden;
    this.k = k;
    this.outputScale = outputScale;
    this.layout = CoordinateLstm.addTo(ParamLayout.builder(), 2, hidden).add("out.weight", 1, hidden)
        .add("out.bias", 1).build();
  }

  /** Open-L2O's MNIST configuration: 20 units, k = 5, output scale 0.01. */
  public static L2oDm defaults() {
    return new L2oDm(20, 5, 0.01);
  }

  /** From hyperparameters ({@code hiddenSize, k, outputScale}). */
  public static L2oDm fromHyperparameters(Map<String, Object> h) {
    Hyper.requireKnown(ARCHITECTURE, h, KEYS);
    return new L2oDm(Hyper.intValue(ARCHITECTURE, h, "hiddenSize", 20, 2, 256),
        Hyper.doubleValue(ARCHITECTURE, h, "k", 5, 0, 30),
        Hyper.doubleValue(ARCHITECTURE, h, "outputScale", 0.01, 0, 10));
  }

  @Override
  public String architecture() {
    return ARCHITECTURE;
  }

  @Override
  public Map<String, Object> hyperparameters() {
    return Map.of("hiddenSize", hidden, "k", k, "outputScale", outputScale);
  }

  @Override
  public ParamLayout metaLayout() {
    return layout;
  }

  @Override
  public float[] initialMetaParams(long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    float[] theta = new float[layout.size()];
    CoordinateLstm.initLayer(theta, layout.tensor("lstm1.weight").offset(), layout.tensor("lstm1.bias").offset(),
        hidden, 2 + hidden, rng, new int[] {1}, new float[] {1f});
    CoordinateLstm.initLayer(theta, layout.tensor("lstm2.weight").offset(), layout.tensor("lstm2.bias").offset(),
        hidden, 2 * hidden, rng, new int[] {0}, new float[] {1f});
    int out = layout.tensor("out.weight").offset();
    Init.truncatedNormal(theta, out, hidden, 0.01 / Math.sqrt(hidden), rng);
    theta[out] = -1f;
    return theta;
  }

  @Override
  public LearnedUpdate create(float[] theta, ParamLayout taskLayout, int totalSteps) {
    Hyper.checkTheta(ARCHITECTURE, theta, layout.size());
    return new Opt(theta.clone(), taskLayout.size());
  }

  /** One L2O-DM run: LogAndSign features, the LSTM, the scaled linear output. Not thread-safe. */
  private final class Opt implements LearnedUpdate {
    private final float[] theta;
    private final int size;
    private final CoordinateLstm lstm;
    private final float[] x = new float[2 * BLOCK];
    private final float[] out = new float[BLOCK];
    private final int outW;
    private final int outB;
    private final StateArrays state;

    Opt(float[] theta, int size) {
      this.theta = theta;
      this.size = size;
      this.lstm = new CoordinateLstm(theta, layout, 2, hidden, size, BLOCK);
      this.state = StateArrays.of((Object[]) lstm.stateArrays());
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
      final float invK = (float) (1 / k);
      final float expK = (float) Math.exp(k);
      final float eps = Math.ulp(1f);
      final float scale = (float) outputScale;
      for (int s = 0; s < size; s += BLOCK) {
        final int len = Math.min(BLOCK, size - s);
        for (int b = 0; b < len; b++) {
          float g = FastMath.finiteOrZero(grad[s + b]);
          x[b] = Math.max(-1f, (float) Math.log(Math.abs(g) + eps) * invK);
          x[BLOCK + b] = Math.max(-1f, Math.min(1f, g * expK));
        }
        lstm.forward(x, s, len);
        BlockOps.affine(theta, outW, hidden, theta, outB, 1, hidden, lstm.top, out, BLOCK, len);
        for (int b = 0; b < len; b++) {
          params[s + b] += scale * out[b];
        }
      }
    }

    @Override
    public void reset() {
      lstm.reset();
    }

    /** The LSTM's h and c (L2O-DM keeps no step counter: saved as 0). */
    @Override
    public int stateSize() {
      return state.size();
    }

    @Override
    public void saveState(float[] dst, int offset) {
      state.save(0, dst, offset);
    }

    @Override
    public void loadState(float[] src, int offset) {
      state.load(src, offset);
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
