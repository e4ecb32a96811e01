package org.metaopt.core.optim;

import org.metaopt.core.kernel.Subnormals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.metaopt.core.kernel.NewtonSchulz;
import org.metaopt.core.tensor.ParamLayout;
import org.metaopt.core.tensor.TensorSpec;

/**
 * Muon (Keller Jordan 2024, {@code KellerJordan/Muon}): Nesterov momentum orthogonalized per weight matrix by
 * {@link NewtonSchulz}, with an AdamW branch for everything that is not a hidden weight matrix.
 *
 * <p><b>Hidden matrices</b> (tensors of rank 2 or more, except the first and the last such tensor in layout order,
 * i.e. the input and output layers): {@code b <- mu b + (1 - mu) g}; {@code u = (1 - mu) g + mu b} (Nesterov);
 * {@code u <- NS(u)}; {@code p <- p (1 - lr wd) - lr * scale * u}, with {@code scale = sqrt(max(1, fanOut / fanIn))}
 * in PyTorch's {@code (out, in)} convention. This codebase stores a dense weight {@code [in, out]}, viewed as the
 * {@code in x out} matrix (scale {@code sqrt(max(1, out / in))}), and a convolution kernel
 * {@code [out, in, kh, kw]}, viewed as {@code out x (in kh kw)} (scale {@code sqrt(max(1, out / (in kh kw)))});
 * orthogonalization commutes with transposition, so the orientation does not change the direction.
 *
 * <p><b>Everything else</b> (vectors, the first and the last matrix) follows {@link AdamW}'s arithmetic with
 * betas {@code (0.9, 0.95)}, epsilon 1e-8, bias correction and no weight decay, at learning rate
 * {@code lr * adamRatio}. The default ratio {@value #DEFAULT_ADAM_RATIO} = 3e-4 / 0.02 is Keller Jordan's pair of
 * defaults ({@code MuonWithAuxAdam}: Muon lr 0.02, auxiliary Adam lr 3e-4), so that one tuned rate moves both
 * branches in proportion. A layout with fewer than three matrices has no hidden matrix and is pure AdamW at
 * {@code lr * adamRatio}.
 *
 * <p>Departures from the reference: Newton–Schulz runs in float (the reference uses bfloat16) and normalizes by
 * {@code ||X||_F + 1e-8} as Celo2 does (the reference adds 1e-7). State: one flat momentum / first moment and one
 * second moment of the layout's size, plus scratch for the largest hidden matrix; a step allocates nothing. A
 * schedule's factor ({@link LearningRateScaled}) multiplies both branches' rates. Not thread-safe: one instance
 * per optimizee run.
 */
public final class Muon implements LearningRateScaled {

  /** Keller Jordan's default Muon learning rate. */
  public static final double DEFAULT_LEARNING_RATE = 0.02;
  /** Keller Jordan's default momentum. */
  public static final double DEFAULT_MOMENTUM = 0.95;
  /** The AdamW branch's rate relative to Muon's: 3e-4 / 0.02, Keller Jordan's two defaults. */
  public static final double DEFAULT_ADAM_RATIO = 0.015;
  /** The AdamW branch's first-moment decay. */
  public static final double DEFAULT_ADAM_BETA1 = 0.9;
  /** The AdamW branch's second-moment decay. */
  public static final double DEFAULT_ADAM_BETA2 = 0.95;
  /** The AdamW branch's epsilon (added to the bias-corrected {@code sqrt(v_hat)}). */
  public static final double DEFAULT_ADAM_EPSILON = 1e-8;

  /**
   * Muon's hyperparameters.
   *
   * @param learningRate the hidden matrices' step size, finite and {@code > 0}
   * @param momentum decay {@code mu} of the momentum, in {@code [0, 1)}
   * @param weightDecay decoupled decay {@code wd} of the hidden matrices (multiplied by the learning rate), finite
   *     and {@code >= 0}; the AdamW branch has none
   * @param adamRatio the AdamW branch's learning rate over {@code learningRate}, finite and {@code > 0}
   * @param adamBeta1 the AdamW branch's first-moment decay, in {@code [0, 1)}
   * @param adamBeta2 the AdamW branch's second-moment decay, in {@code [0, 1)}
   * @param adamEpsilon the AdamW branch's epsilon, finite and {@code > 0}
   */
  public record Config(double learningRate, double momentum, double weightDecay, double adamRatio, double adamBeta1,
      double adamBeta2, double adamEpsilon) {
    public Config {
      Checks.positive("learningRate", learningRate);
      Checks.decay("momentum", momentum);
      Checks.nonNegative("weightDecay", weightDecay);
      Checks.positive("adamRatio", adamRatio);
      Checks.decay("adamBeta1", adamBeta1);
      Checks.decay("adamBeta2", adamBeta2);
      Checks.positive("adamEpsilon", adamEpsilon);
    }

    /** Keller Jordan's defaults (momentum 0.95, no weight decay, AdamW (0.9, 0.95) at 0.015 x) at the given rate. */
    public static Config defaults(double learningRate) {
      return new Config(learningRate, DEFAULT_MOMENTUM, 0.0, DEFAULT_ADAM_RATIO, DEFAULT_ADAM_BETA1,
          DEFAULT_ADAM_BETA2, DEFAULT_ADAM_EPSILON);
    }
  }

  private final Config config;
  private final int size;
  private final float lr;
  private final float mu;
  private final float wd;
  private final float adamLr;
  private final float b1;
  private final float b2;
  private final float eps;
  // hidden matrices: offset, matrix shape, scale
  private final String[] muonNames;
  private final int[] muonOffset;
  private final int[] muonRows;
  private final int[] muonCols;
  private final float[] muonScale;
  // the AdamW branch: [adamFrom[k], adamTo[k]) ranges, adjacent tensors merged
  private final int[] adamFrom;
  private final int[] adamTo;
  private final float[] m;
  private final float[] v;
  private final float[] u;
  private final NewtonSchulz ns;
  private long t;
  private float factor = 1f;

  /** A Muon for parameters laid out as {@code layout}; Newton–Schulz's products use {@code -Dmetaopt.gemm}. */
  public Muon(Config config, ParamLayout layout) {
    this(config, layout, new NewtonSchulz());
  }

  /** A Muon whose orthogonalizations run on {@code ns} (which it then owns). */
  public Muon(Config config, ParamLayout layout, NewtonSchulz ns) {
    this.config = config;
    this.size = layout.size();
    this.lr = (float) config.learningRate();
    this.mu = (float) config.momentum();
    this.wd = (float) config.weightDecay();
    this.adamLr = (float) (config.learningRate() * config.adamRatio());
    this.b1 = (float) config.adamBeta1();
    this.b2 = (float) config.adamBeta2();
    this.eps = (float) config.adamEpsilon();
    this.ns = ns;
    List<TensorSpec> tensors = layout.tensors();
    int first = -1;
    int last = -1;
    for (int k = 0; k < tensors.size(); k++) {
      if (tensors.get(k).shape().length >= 2) {
        last = k;
        if (first < 0) {
          first = k;
        }
      }
    }
    List<TensorSpec> hidden = new ArrayList<>();
    List<int[]> adam = new ArrayList<>();
    for (int k = 0; k < tensors.size(); k++) {
      TensorSpec s = tensors.get(k);
      if (s.shape().length >= 2 && k != first && k != last) {
        hidden.add(s);
      } else if (!adam.isEmpty() && adam.get(adam.size() - 1)[1] == s.offset()) {
        adam.get(adam.size() - 1)[1] = s.end();
      } else {
        adam.add(new int[] {s.offset(), s.end()});
      }
    }
    int h = hidden.size();
    muonNames = new String[h];
    muonOffset = new int[h];
    muonRows = new int[h];
    muonCols = new int[h];
    muonScale = new float[h];
    int largest = 0;
    for (int k = 0; k < h; k++) {
      TensorSpec s = hidden.get(k);
      int rows = s.shape()[0]; // dense [in, out]: in x out; conv [out, in, kh, kw]: out x (in kh kw)
      int cols = s.size() / rows;
      int fanIn = s.fanIn(); // in (dense), in kh kw (conv)
      int fanOut = s.size() / fanIn; // out in both
      muonNames[k] = s.name();
      muonOffset[k] = s.offset();
      muonRows[k] = rows;
      muonCols[k] = cols;
      muonScale[k] = (float) Math.sqrt(Math.max(1.0, fanOut / (double) fanIn));
      largest = Math.max(largest, s.size());
      ns.reserve(rows, cols);
    }
    adamFrom = new int[adam.size()];
    adamTo = new int[adam.size()];
    for (int k = 0; k < adam.size(); k++) {
      adamFrom[k] = adam.get(k)[0];
      adamTo[k] = adam.get(k)[1];
    }
    m = new float[size];
    v = new float[size];
    u = new float[largest];
  }

  @Override
  public void step(float[] params, float[] grad) {
    Checks.sizes("muon", size, params, grad);
    t++;
    final float factor = this.factor;
    final float lr = this.lr * factor;
    final float mu = this.mu;
    final float c = 1f - mu;
    final float decay = 1f - lr * wd;
    final float[] m = this.m;
    final float[] u = this.u;
    for (int k = 0; k < muonOffset.length; k++) {
      final int off = muonOffset[k];
      final int rows = muonRows[k];
      final int cols = muonCols[k];
      final int n = rows * cols;
      for (int i = 0; i < n; i++) {
        float g = grad[off + i];
        float b = (mu * m[off + i] + c * g + Subnormals.MOMENT) - Subnormals.MOMENT; // see Subnormals
        m[off + i] = b;
        u[i] = c * g + mu * b;
      }
      ns.orthogonalize(u, 0, rows, cols, u, 0);
      final float step = lr * muonScale[k];
      for (int i = 0; i < n; i++) {
        params[off + i] = params[off + i] * decay - step * u[i];
      }
    }
    adamBranch(params, grad, adamLr * factor);
  }

  /** {@link AdamW#update} without weight decay over the non-hidden ranges. */
  private void adamBranch(float[] params, float[] grad, float lr) {
    for (int k = 0; k < adamFrom.length; k++) {
      AdamW.update(params, grad, m, v, adamFrom[k], adamTo[k], t, lr, b1, b2, eps, 0f);
    }
  }

  @Override
  public void scaleLearningRate(float factor) {
    this.factor = LearningRateScaled.checkFactor(factor);
  }

  @Override
  public void reset() {
    Arrays.fill(m, 0f);
    Arrays.fill(v, 0f);
    t = 0;
    factor = 1f;
  }

  @Override
  public String name() {
    return "muon";
  }

  @Override
  public double learningRate() {
    return config.learningRate();
  }

  public Config config() {
    return config;
  }

  /** The names of the tensors updated by orthogonalized momentum (the hidden matrices), in layout order. */
  public List<String> muonTensors() {
    return List.of(muonNames);
  }
}
