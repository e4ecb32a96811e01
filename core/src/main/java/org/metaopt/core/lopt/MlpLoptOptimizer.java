package org.metaopt.core.lopt;

import java.util.Arrays;
import java.util.List;
import org.metaopt.core.kernel.FastMath;
import org.metaopt.core.kernel.Rows;
import org.metaopt.core.kernel.Simd;
import org.metaopt.core.tensor.ParamLayout;
import org.metaopt.core.tensor.TensorSpec;

/**
 * The optimizer an {@link MlpLopt} θ defines. Per step and tensor: a first pass ({@link MlpLoptMoments}) updates the
 * six momenta (and the Adam second moment) and sums the squares the per-tensor normalization needs; a second pass
 * ({@link MlpLoptNetwork}) builds the features and runs the MLP over blocks of {@link #BLOCK} coordinates stored
 * feature-major ({@link Rows}). The shared features (the 11-timescale step embedding, and the progress features when
 * on) are the same for every parameter, so their contribution to the first layer is folded into its bias once per
 * step. Momenta and second moment are flushed to 0 below 2^-124 ({@link FastMath#FLUSH}).
 *
 * <p>Layout for speed: C2 (JDK 17) vectorizes a loop only when all its arrays are indexed alike; one that mixes
 * {@code a[s + i]} with {@code b[i]} stays scalar. So the optimizer's own state is stored per block
 * ({@code momenta[k][block][i]}), every loop runs over {@code i} within a block, and only the caller's flat
 * {@code params} and {@code grad} are copied in and out of block rows with {@link System#arraycopy}. Figures:
 * docs/benchmarks.md.
 *
 * <p>With {@link Simd#ENABLED} both passes run on {@link MlpLoptSimd} instead of the plain loops: the same bits,
 * one chunk of {@link MlpLoptSimd#LANES} coordinates through features and network at a time. The plain loops stay
 * the fallback and the reference the SIMD tests compare against.
 *
 * <p>All state and scratch are allocated at creation; a step does not allocate. Not thread-safe: one instance
 * per optimizee run.
 */
final class MlpLoptOptimizer implements LearnedUpdate {
  static final int BLOCK = 1024;

  private final float[] theta;
  /** The step multiplier of each task tensor ({@link MlpLopt#stepMult(TensorSpec)}). */
  private final float[] tensorStepMult;
  private final List<TensorSpec> tensors;
  private final int size;
  /** The gradient with non-finite entries replaced by 0, used only when the incoming one has such entries. */
  private final float[] clean;
  /** Whether the SIMD kernels run ({@link Simd}); both paths compute the same bits. */
  private final boolean simd;
  /** The state and the first pass. */
  private final MlpLoptMoments moments;
  /** The second pass. */
  private final MlpLoptNetwork network;
  /** The momenta and second moment, for {@link #saveState}. */
  private final StateArrays state;
  private long t;

  MlpLoptOptimizer(MlpLopt arch, float[] theta, ParamLayout taskLayout, int totalSteps) {
    this(arch, theta, taskLayout, totalSteps, Simd.ENABLED);
  }

  /** As above, choosing the kernels: {@code simd} needs {@link Simd#moduleAvailable()} (tests compare both). */
  MlpLoptOptimizer(MlpLopt arch, float[] theta, ParamLayout taskLayout, int totalSteps, boolean simd) {
    this.theta = theta;
    this.tensors = taskLayout.tensors();
    this.tensorStepMult = new float[tensors.size()];
    for (int k = 0; k < tensors.size(); k++) {
      tensorStepMult[k] = arch.stepMult(tensors.get(k));
    }
    this.size = taskLayout.size();
    this.clean = new float[size];
    this.simd = simd;
    float[][] x = new float[arch.perCoordinateFeatures()][BLOCK];
    this.moments = new MlpLoptMoments(taskLayout, arch.adamFeatures(), x, simd);
    this.network = new MlpLoptNetwork(arch, theta, totalSteps, moments, x, simd);
    this.state = StateArrays.of(moments.momenta, moments.second);
  }

  @Override
  public void setMetaParams(float[] newTheta) {
    Hyper.checkTheta(MlpLopt.ARCHITECTURE, newTheta, theta.length);
    System.arraycopy(newTheta, 0, theta, 0, theta.length);
    network.pack();
  }

  @Override
  public void step(float[] params, float[] grad) {
    LoptChecks.sizes(MlpLopt.ARCHITECTURE, size, params, grad);
    final float[] g = finiteGradient(grad);
    network.beginStep(t);
    for (int k = 0; k < tensors.size(); k++) {
      TensorSpec tensor = tensors.get(k);
      int start = tensor.offset();
      int end = tensor.end();
      int block0 = moments.firstBlock[k];
      moments.update(params, g, start, end, block0);
      network.beginTensor(tensorStepMult[k], moments.sumSq, end - start);
      for (int s = start, b = block0; s < end; s += BLOCK, b++) {
        network.block(params, g, s, Math.min(BLOCK, end - s), b);
      }
    }
    t++;
  }

  /**
   * The gradient itself when every entry is finite (one multiply-add pass: {@code g * 0} is 0 for finite
   * {@code g} and NaN otherwise), else a copy with non-finite entries replaced by 0 (the NaN policy of every
   * learned optimizer), so the per-coordinate loops need no test and stay vectorizable.
   */
  private float[] finiteGradient(float[] grad) {
    if (simd ? MlpLoptSimd.allFinite(grad) : allFinite(grad)) {
      return grad;
    }
    for (int k = 0; k < grad.length; k++) {
      clean[k] = FastMath.finiteOrZero(grad[k]);
    }
    return clean;
  }

  private static boolean allFinite(float[] grad) {
    float a0 = 0;
    float a1 = 0;
    float a2 = 0;
    float a3 = 0;
    int i = 0;
    for (; i + 4 <= grad.length; i += 4) {
      a0 += grad[i] * 0f;
      a1 += grad[i + 1] * 0f;
      a2 += grad[i + 2] * 0f;
      a3 += grad[i + 3] * 0f;
    }
    for (; i < grad.length; i++) {
      a0 += grad[i] * 0f;
    }
    return a0 + a1 + a2 + a3 == 0f;
  }

  /**
   * The SIMD kernels run on whole chunks; the last, partial chunk of a block ({@code [full, len)}) is copied into
   * rows x[0] (gradient) and x[1] (parameters) at the same indices and padded with zeros: state lanes fed only zeros
   * stay exactly 0, so the padding adds nothing to the sums, and its steps are never copied out. Returns the end of
   * the padded chunk.
   */
  static int tailChunk(float[][] x, float[] params, float[] grad, int s, int full, int len) {
    int end = full + MlpLoptSimd.LANES;
    System.arraycopy(grad, s + full, x[0], full, len - full);
    System.arraycopy(params, s + full, x[1], full, len - full);
    Arrays.fill(x[0], len, end, 0f);
    Arrays.fill(x[1], len, end, 0f);
    return end;
  }

  @Override
  public void reset() {
    moments.reset();
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
    return MlpLopt.ARCHITECTURE;
  }

  @Override
  public double learningRate() {
    return Double.NaN;
  }
}
