package org.metaopt.core.flatness;

import java.util.SplittableRandom;
import org.metaopt.core.task.Batch;
import org.metaopt.core.task.Task;

/**
 * The negative local entropy of Entropy-SGD (Chaudhari et al., ICLR 2017), {@code -F(w; γ)} with
 * {@code F(w; γ) = log ∫ exp(-f(w') - γ/2 ||w - w'||²) dw'}, estimated up to an additive constant that depends
 * only on {@code d} and {@code γ} (never on {@code w} or {@code f}); lower means flatter.
 *
 * <p><b>Monte Carlo</b> ({@link #monteCarlo}): with {@code ξ_k ~ N(0, I/γ)},
 * {@code -log((1/K) Σ_k exp(-f(w + ξ_k)))} by log-sum-exp. Since
 * {@code F = (d/2) log(2π/γ) + log E exp(-f(w + ξ))}, its target is {@code -F(w; γ) + (d/2) log(2π/γ)}; by Jensen
 * the finite-{@code K} estimate is biased upward (bias {@code O(1/K)} when the weights {@code exp(-f)} vary little).
 *
 * <p><b>SGLD</b> ({@link #sgld}): at temperature {@code T = ε²} ({@code ε} the thermal noise) define
 * {@code Φ_T(w) = -T log E_{ξ~N(0, (T/γ) I)} exp(-f(w + ξ)/T) = -F_T(w; γ) + (T d/2) log(2πT/γ)}, where
 * {@code F_T = T log ∫ exp(-(f(w') + γ/2 ||w - w'||²)/T) dw'}. {@code Φ_1} is the Monte Carlo target; as
 * {@code T → 0}, {@code Φ_T} tends to the Moreau envelope {@code min_{w'} f(w') + γ/2 ||w - w'||²}. The estimate is
 * thermodynamic integration along one annealed Langevin chain: with {@code g_t(w') = t f(w') + γ/2 ||w - w'||²},
 * {@code Φ_T(w) = ∫_0^1 E_{p_t}[f(w')] dt} for {@code p_t ∝ exp(-g_t/T)}. The chain starts from an exact draw of
 * {@code p_0 = N(w, (T/γ) I)} and takes {@code L} steps {@code w' ← w' - η ∇g_{t_l}(w') + sqrt(2η) ε N(0, I)} with
 * {@code t_l = (l + 1/2)/L}; the returned value is {@code (1/L) Σ_l f(w'_l)}, evaluated before each step. A finite
 * chain lags its target (the Jarzynski work bound: biased upward, vanishing as {@code L} grows with {@code ηγ}
 * fixed), and Euler discretization inflates the sampled variance by about {@code 1/(1 - η(γ + λ)/2)}.
 *
 * <p><b>Gradient</b> ({@link #gradient}): Entropy-SGD's Algorithm 1 at {@code t = 1}: {@code w'} starts at
 * {@code w}, takes the same Langevin steps on {@code g_1}, and {@code μ ← (1 - α) μ + α w'} with
 * {@code α = 0.75}; the output {@code γ (w - μ)} estimates {@code ∇_w(-F_T)(w) = γ (w - E_{p_1}[w'])}, the gradient
 * of the same function the SGLD scalar estimates. Thermal noise: the paper's update adds {@code sqrt(η) ε N(0, I)}
 * with {@code ε = 1e-4} in its released experiments; this class adds {@code sqrt(2η) ε N(0, I)}, the standard
 * Langevin form at temperature {@code ε²}, with the same default {@code ε}.
 *
 * <p>Holds three scratch vectors (reallocated only when the parameter count changes): not thread-safe, one
 * instance per thread. A non-finite loss or gradient anywhere makes the result NaN.
 */
public final class LocalEntropy {
  public static final int DEFAULT_MC_SAMPLES = 16;
  public static final int DEFAULT_SGLD_STEPS = 20;
  public static final double DEFAULT_THERMAL_NOISE = 1e-4;
  /** Weight of the newest iterate in Entropy-SGD's running mean of {@code w'}. */
  public static final double ENTROPY_SGD_EMA = 0.75;

  private final double gamma;
  private final int mcSamples;
  private final int sgldSteps;
  private final double stepSize;
  private final double thermalNoise;
  private float[] wp;
  private float[] grad;
  private double[] mu;

  /**
   * @param gamma coupling (scope) {@code γ > 0}; perturbations have standard deviation {@code 1/sqrt(γ)} per coordinate
   * @param mcSamples Monte Carlo samples {@code K >= 1}
   * @param sgldSteps Langevin steps {@code L >= 1}
   * @param stepSize Langevin step {@code η > 0} with {@code ηγ <= 1}
   * @param thermalNoise {@code ε >= 0}; temperature {@code T = ε²}
   */
  public LocalEntropy(double gamma, int mcSamples, int sgldSteps, double stepSize, double thermalNoise) {
    Vectors.requirePositiveFinite("gamma", gamma);
    Vectors.requirePositive("mcSamples", mcSamples);
    Vectors.requirePositive("sgldSteps", sgldSteps);
    Vectors.requirePositiveFinite("stepSize", stepSize);
    Vectors.requireNonNegativeFinite("thermalNoise", thermalNoise);
    if (stepSize * gamma > 1) {
      throw new IllegalArgumentException("stepSize " + stepSize + " times gamma " + gamma + " is "
          + stepSize * gamma + "; it must be <= 1 for a stable Langevin chain (lower stepSize)");
    }
    this.gamma = gamma;
    this.mcSamples = mcSamples;
    this.sgldSteps = sgldSteps;
    this.stepSize = stepSize;
    this.thermalNoise = thermalNoise;
  }

  /** {@code -log mean_k exp(-f(w + ξ_k))}, {@code ξ_k ~ N(0, I/γ)} drawn from {@code seed}; see the class notes. */
  public double monteCarlo(Task task, float[] params, Batch batch, long seed) {
    int n = Vectors.checkedSize(task, params);
    wp = Vectors.sized(wp, n);
    SplittableRandom rng = new SplittableRandom(seed);
    double sigma = 1 / Math.sqrt(gamma);
    double max = Double.NEGATIVE_INFINITY; // running log-sum-exp of -f
    double sum = 0;
    for (int k = 0; k < mcSamples; k++) {
      for (int i = 0; i < n; i++) {
        wp[i] = (float) (params[i] + sigma * rng.nextGaussian());
      }
      double a = -task.loss(wp, batch);
      if (!Double.isFinite(a)) {
        return Double.NaN;
      }
      if (a > max) {
        sum = sum * Math.exp(max - a) + 1;
        max = a;
      } else {
        sum += Math.exp(a - max);
      }
    }
    return -(max + Math.log(sum / mcSamples));
  }

  /** The annealed-SGLD estimate of {@code Φ_T(w)} with noise drawn from {@code seed}; see the class notes. */
  public double sgld(Task task, float[] params, Batch batch, long seed) {
    int n = Vectors.checkedSize(task, params);
    wp = Vectors.sized(wp, n);
    grad = Vectors.sized(grad, n);
    SplittableRandom rng = new SplittableRandom(seed);
    double temperature = thermalNoise * thermalNoise;
    double start = Math.sqrt(temperature / gamma);
    for (int i = 0; i < n; i++) {
      wp[i] = (float) (params[i] + start * rng.nextGaussian());
    }
    double noise = Math.sqrt(2 * stepSize) * thermalNoise;
    double work = 0;
    for (int l = 0; l < sgldSteps; l++) {
      double t = (l + 0.5) / sgldSteps;
      double f = task.lossAndGradient(wp, batch, grad);
      if (!Double.isFinite(f)) {
        return Double.NaN;
      }
      work += f;
      if (!langevinStep(params, t, noise, rng)) {
        return Double.NaN;
      }
    }
    return work / sgldSteps;
  }

  /**
   * Writes Entropy-SGD's estimate {@code γ (w - μ)} of {@code ∇_w(-F_T)} into {@code out} (all NaN when a loss
   * or gradient was not finite), with noise drawn from {@code seed}; see the class notes.
   */
  public void gradient(Task task, float[] params, Batch batch, long seed, float[] out) {
    int n = Vectors.checkedSize(task, params);
    if (out.length != n) {
      throw new IllegalArgumentException("out length " + out.length + " must equal the parameter count " + n);
    }
    wp = Vectors.sized(wp, n);
    grad = Vectors.sized(grad, n);
    mu = mu != null && mu.length == n ? mu : new double[n];
    SplittableRandom rng = new SplittableRandom(seed);
    double noise = Math.sqrt(2 * stepSize) * thermalNoise;
    for (int i = 0; i < n; i++) {
      wp[i] = params[i];
      mu[i] = params[i];
    }
    for (int l = 0; l < sgldSteps; l++) {
      double f = task.lossAndGradient(wp, batch, grad);
      if (!Double.isFinite(f) || !langevinStep(params, 1.0, noise, rng)) {
        java.util.Arrays.fill(out, Float.NaN);
        return;
      }
      for (int i = 0; i < n; i++) {
        mu[i] = (1 - ENTROPY_SGD_EMA) * mu[i] + ENTROPY_SGD_EMA * wp[i];
      }
    }
    for (int i = 0; i < n; i++) {
      out[i] = (float) (gamma * (params[i] - mu[i]));
    }
  }

  /** {@code w' ← w' - η (t ∇f(w') + γ (w' - w)) + noise · N(0, I)} with {@code ∇f(w')} in {@code grad}; false if not finite. */
  private boolean langevinStep(float[] params, double t, double noise, SplittableRandom rng) {
    boolean finite = true;
    for (int i = 0; i < wp.length; i++) {
      double drift = t * grad[i] + gamma * (wp[i] - params[i]);
      double next = wp[i] - stepSize * drift + (noise == 0 ? 0 : noise * rng.nextGaussian());
      finite &= Double.isFinite(next);
      wp[i] = (float) next;
    }
    return finite;
  }

  public double gamma() {
    return gamma;
  }

  public double temperature() {
    return thermalNoise * thermalNoise;
  }
}
