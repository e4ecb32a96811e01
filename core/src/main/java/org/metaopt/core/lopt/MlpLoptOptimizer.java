package org.metaopt.core.lopt;

import java.util.Arrays;
import java.util.List;
import org.metaopt.core.tensor.ParamLayout;
import org.metaopt.core.tensor.TensorSpec;

/**
 * The optimizer an {@link MlpLopt} θ defines: per step, one fused pass per tensor updates the six momenta and
 * the per-feature second moments, then the MLP runs over blocks of {@link #BLOCK} parameters stored
 * feature-major (see {@link BlockOps}). The 11 step-embedding features are the same for every parameter, so
 * their contribution to the first layer is folded into its bias once per step.
 *
 * <p>All state and scratch are allocated at creation; a step does not allocate. Not thread-safe: one instance
 * per optimizee run.
 */
final class MlpLoptOptimizer implements LearnedUpdate {
  static final int BLOCK = 128;

  private final float[] theta;
  private final int hidden;
  private final int layers;
  private final int[] wOff;
  private final int[] bOff;
  private final int outW;
  private final int outB;
  private final float expMult;
  private final float stepMult;
  private final List<TensorSpec> tensors;
  private final int size;
  private final float[][] momenta;
  /** Second moment (decay {@link MlpLopt#ADAM_BETA2}) for the Adam features; null without them. */
  private final float[] second;
  private final int features;
  private final int perCoordinate;
  private final boolean progress;
  private final int totalSteps;
  private final double[] sumSq = new double[MlpLopt.NORMALIZED];
  private final float[] scale = new float[MlpLopt.NORMALIZED];
  private final float[] adamScale = new float[MlpLopt.ADAM_DECAYS.length];
  private float adamRsqrtScale;
  private final float[] bias0;
  private final float[] x;
  private final float[] a;
  private final float[] b;
  private final float[] out = new float[2 * BLOCK];
  private long t;

  MlpLoptOptimizer(MlpLopt arch, float[] theta, ParamLayout taskLayout, int totalSteps) {
    this.theta = theta;
    this.hidden = arch.hidden();
    this.layers = arch.layers();
    ParamLayout meta = arch.metaLayout();
    this.wOff = new int[layers];
    this.bOff = new int[layers];
    for (int l = 0; l < layers; l++) {
      wOff[l] = meta.tensor("mlp" + l + ".weight").offset();
      bOff[l] = meta.tensor("mlp" + l + ".bias").offset();
    }
    this.outW = meta.tensor("out.weight").offset();
    this.outB = meta.tensor("out.bias").offset();
    this.expMult = arch.expMult();
    this.stepMult = arch.stepMult();
    this.tensors = taskLayout.tensors();
    this.size = taskLayout.size();
    this.momenta = new float[MlpLopt.DECAYS.length][size];
    this.second = arch.adamFeatures() ? new float[size] : null;
    this.features = arch.features();
    this.perCoordinate = arch.perCoordinateFeatures();
    this.progress = arch.progressFeatures();
    this.totalSteps = Math.max(0, totalSteps);
    this.x = new float[perCoordinate * BLOCK];
    this.bias0 = new float[hidden];
    this.a = new float[hidden * BLOCK];
    this.b = new float[hidden * BLOCK];
  }

  @Override
  public void setMetaParams(float[] newTheta) {
    Hyper.checkTheta(MlpLopt.ARCHITECTURE, newTheta, theta.length);
    System.arraycopy(newTheta, 0, theta, 0, theta.length);
  }

  @Override
  public void step(float[] params, float[] grad) {
    LoptChecks.sizes(MlpLopt.ARCHITECTURE, size, params, grad);
    foldStepEmbedding();
    if (second != null) { // Adam's bias corrections for step t + 1
      double n = t + 1;
      for (int k = 0; k < adamScale.length; k++) {
        adamScale[k] = (float) (1 / (1 - Math.pow(MlpLopt.DECAYS[MlpLopt.ADAM_DECAYS[k]], n)));
      }
      adamRsqrtScale = (float) (1 / (1 - Math.pow(MlpLopt.ADAM_BETA2, n)));
    }
    for (TensorSpec tensor : tensors) {
      int start = tensor.offset();
      int end = tensor.end();
      updateMomentaAndMoments(params, grad, start, end);
      if (second != null) {
        updateSecondMoment(grad, start, end);
      }
      int n = end - start;
      for (int k = 0; k < scale.length; k++) {
        scale[k] = (float) (1 / Math.sqrt(1e-5 + sumSq[k] / n));
      }
      for (int s = start; s < end; s += BLOCK) {
        block(params, grad, s, Math.min(BLOCK, end - s));
      }
    }
    t++;
  }

  /**
   * bias0 = mlp0.bias + mlp0.weight[:, shared] . (tanh(t / timescale - 1), and with the progress features
   * p = t / totalSteps and -ln(max(1 - p, 1 / totalSteps))).
   */
  private void foldStepEmbedding() {
    final int in = features;
    final int first = perCoordinate;
    final double frac = totalSteps > 0 ? Math.min(1.0, t / (double) totalSteps) : 0.0;
    final double negLogRemaining = totalSteps > 0 ? -Math.log(Math.max(1 - frac, 1.0 / totalSteps)) : 0.0;
    for (int j = 0; j < hidden; j++) {
      double s = theta[bOff[0] + j];
      for (int e = 0; e < MlpLopt.TIMESCALES.length; e++) {
        s += theta[wOff[0] + j * in + first + e] * Math.tanh(t / (double) MlpLopt.TIMESCALES[e] - 1);
      }
      if (progress) {
        s += theta[wOff[0] + j * in + first + MlpLopt.TIMESCALES.length] * frac
            + theta[wOff[0] + j * in + first + MlpLopt.TIMESCALES.length + 1] * negLogRemaining;
      }
      bias0[j] = (float) s;
    }
  }

  private void updateSecondMoment(float[] grad, int start, int end) {
    final float b2 = MlpLopt.ADAM_BETA2;
    final float c2 = 1 - b2;
    final float[] v = second;
    for (int i = start; i < end; i++) {
      float g = FastMath.finiteOrZero(grad[i]);
      v[i] = b2 * v[i] + c2 * (g * g);
    }
  }

  private void updateMomentaAndMoments(float[] params, float[] grad, int start, int end) {
    final float[] m0 = momenta[0];
    final float[] m1 = momenta[1];
    final float[] m2 = momenta[2];
    final float[] m3 = momenta[3];
    final float[] m4 = momenta[4];
    final float[] m5 = momenta[5];
    final float[] d = MlpLopt.DECAYS;
    double sg = 0;
    double sp = 0;
    double s0 = 0;
    double s1 = 0;
    double s2 = 0;
    double s3 = 0;
    double s4 = 0;
    double s5 = 0;
    for (int i = start; i < end; i++) {
      float g = FastMath.finiteOrZero(grad[i]);
      float p = params[i];
      float v0 = d[0] * m0[i] + (1 - d[0]) * g;
      float v1 = d[1] * m1[i] + (1 - d[1]) * g;
      float v2 = d[2] * m2[i] + (1 - d[2]) * g;
      float v3 = d[3] * m3[i] + (1 - d[3]) * g;
      float v4 = d[4] * m4[i] + (1 - d[4]) * g;
      float v5 = d[5] * m5[i] + (1 - d[5]) * g;
      m0[i] = v0;
      m1[i] = v1;
      m2[i] = v2;
      m3[i] = v3;
      m4[i] = v4;
      m5[i] = v5;
      sg += (double) g * g;
      sp += (double) p * p;
      s0 += (double) v0 * v0;
      s1 += (double) v1 * v1;
      s2 += (double) v2 * v2;
      s3 += (double) v3 * v3;
      s4 += (double) v4 * v4;
      s5 += (double) v5 * v5;
    }
    sumSq[0] = sg;
    sumSq[1] = sp;
    sumSq[2] = s0;
    sumSq[3] = s1;
    sumSq[4] = s2;
    sumSq[5] = s3;
    sumSq[6] = s4;
    sumSq[7] = s5;
  }

  /** Runs the MLP on parameters {@code [s, s + len)} of one tensor and applies their steps. */
  private void block(float[] params, float[] grad, int s, int len) {
    final int bs = BLOCK;
    final float[] x = this.x;
    final float sg = scale[0];
    final float sp = scale[1];
    for (int i = 0; i < len; i++) {
      x[i] = FastMath.finiteOrZero(grad[s + i]) * sg;
      x[bs + i] = params[s + i] * sp;
    }
    for (int k = 0; k < MlpLopt.DECAYS.length; k++) {
      final float[] m = momenta[k];
      final float sk = scale[2 + k];
      final int o = (2 + k) * bs;
      for (int i = 0; i < len; i++) {
        x[o + i] = m[s + i] * sk;
      }
    }
    if (second != null) {
      final float vs = adamRsqrtScale;
      for (int k = 0; k < MlpLopt.ADAM_DECAYS.length; k++) {
        final float[] m = momenta[MlpLopt.ADAM_DECAYS[k]];
        final float ms = adamScale[k];
        final int o = (MlpLopt.NORMALIZED + k) * bs;
        for (int i = 0; i < len; i++) {
          x[o + i] = m[s + i] * ms / ((float) Math.sqrt(second[s + i] * vs) + 1e-8f);
        }
      }
    }
    BlockOps.affine(theta, wOff[0], features, bias0, 0, hidden, perCoordinate, x, a, bs, len);
    BlockOps.relu(a, hidden, bs, len);
    float[] cur = a;
    float[] next = b;
    for (int l = 1; l < layers; l++) {
      BlockOps.affine(theta, wOff[l], hidden, theta, bOff[l], hidden, hidden, cur, next, bs, len);
      BlockOps.relu(next, hidden, bs, len);
      float[] tmp = cur;
      cur = next;
      next = tmp;
    }
    BlockOps.affine(theta, outW, hidden, theta, outB, 2, hidden, cur, out, bs, len);
    final float em = expMult;
    final float sm = stepMult;
    for (int i = 0; i < len; i++) {
      float mag = Math.max(-60f, Math.min(60f, out[bs + i] * em));
      params[s + i] -= out[i] * (float) Math.exp(mag) * sm;
    }
  }

  @Override
  public void reset() {
    for (float[] m : momenta) {
      Arrays.fill(m, 0f);
    }
    if (second != null) {
      Arrays.fill(second, 0f);
    }
    t = 0;
  }

  @Override
  public String name() {
    return MlpLopt.ARCHITECTURE;
  }

  @Override
  public double learningRate() {
    return Double.NaN;
  }
}
