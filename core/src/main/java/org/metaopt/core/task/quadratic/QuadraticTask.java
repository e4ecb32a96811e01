package org.metaopt.core.task.quadratic;

import java.util.SplittableRandom;
import org.metaopt.core.task.Batch;
import org.metaopt.core.task.Evaluation;
import org.metaopt.core.task.Split;
import org.metaopt.core.task.Task;
import org.metaopt.core.tensor.ParamLayout;

/**
 * The quadratic {@code f(w) = 1/2 w^T H w} of seed 2: {@code H = Q diag(lambda) Q^T} with eigenvalues spaced
 * log-uniformly from {@code 1/conditionNumber} to 1 (so L = 1, alpha = 1/kappa), a random rotation {@code Q}
 * drawn from the problem seed (or the identity when {@code rotate} is false), and initial points on the unit
 * sphere ({@code ||w0|| = 1}). Gradient and Hessian-vector product are exact.
 *
 * <p>Gradient noise, when wanted, comes from {@link org.metaopt.core.task.NoisyGradientTask}. Holds one scratch
 * vector: not thread-safe.
 */
public final class QuadraticTask implements Task {
  private final String name;
  private final int dim;
  private final double[] eigenvalues;
  private final float[] hessian; // dense, row-major, symmetric
  private final double[] scratch;
  private final ParamLayout layout;

  /**
   * @param dim dimension, at least 1
   * @param conditionNumber largest over smallest eigenvalue, at least 1
   * @param rotate whether to rotate the eigenbasis by a random orthogonal matrix
   * @param problemSeed seed of the rotation
   */
  public QuadraticTask(String name, int dim, double conditionNumber, boolean rotate, long problemSeed) {
    if (dim < 1) {
      throw new IllegalArgumentException("dim " + dim + " must be >= 1");
    }
    if (!(conditionNumber >= 1) || Double.isInfinite(conditionNumber)) {
      throw new IllegalArgumentException("conditionNumber " + conditionNumber + " must be finite and >= 1");
    }
    this.name = name;
    this.dim = dim;
    this.layout = ParamLayout.vector("w", dim);
    this.eigenvalues = new double[dim];
    for (int i = 0; i < dim; i++) {
      double frac = dim == 1 ? 1.0 : (double) i / (dim - 1);
      eigenvalues[i] = Math.pow(conditionNumber, frac - 1.0); // 1/kappa ... 1
    }
    this.hessian = new float[dim * dim];
    if (!rotate) {
      for (int i = 0; i < dim; i++) {
        hessian[i * dim + i] = (float) eigenvalues[i];
      }
    } else {
      // Q diag(lambda) Q^T: O(dim^3), about 5 s at the largest allowed dim (2048).
      double[][] q = Orthogonal.random(dim, new SplittableRandom(problemSeed));
      for (int r = 0; r < dim; r++) {
        for (int c = r; c < dim; c++) {
          double s = 0;
          for (int k = 0; k < dim; k++) {
            s += q[r][k] * eigenvalues[k] * q[c][k];
          }
          hessian[r * dim + c] = (float) s;
          hessian[c * dim + r] = (float) s;
        }
      }
    }
    this.scratch = new double[dim];
  }

  /** Eigenvalues of H in increasing order (a copy). */
  public double[] eigenvalues() {
    return eigenvalues.clone();
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public ParamLayout layout() {
    return layout;
  }

  @Override
  public float[] initialParams(long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    double[] w = new double[dim];
    double norm = 0;
    while (norm == 0) {
      norm = 0;
      for (int i = 0; i < dim; i++) {
        w[i] = rng.nextGaussian();
        norm += w[i] * w[i];
      }
    }
    norm = Math.sqrt(norm);
    float[] out = new float[dim];
    for (int i = 0; i < dim; i++) {
      out[i] = (float) (w[i] / norm);
    }
    return out;
  }

  @Override
  public Batch sampleBatch(SplittableRandom rng) {
    return Batch.full(rng.nextLong());
  }

  private void multiply(float[] v) {
    for (int r = 0; r < dim; r++) {
      double s = 0;
      int row = r * dim;
      for (int c = 0; c < dim; c++) {
        s += hessian[row + c] * v[c];
      }
      scratch[r] = s;
    }
  }

  @Override
  public double lossAndGradient(float[] params, Batch batch, float[] grad) {
    multiply(params);
    double f = 0;
    for (int i = 0; i < dim; i++) {
      f += params[i] * scratch[i];
      grad[i] = (float) scratch[i];
    }
    return 0.5 * f;
  }

  @Override
  public double loss(float[] params, Batch batch) {
    multiply(params);
    double f = 0;
    for (int i = 0; i < dim; i++) {
      f += params[i] * scratch[i];
    }
    return 0.5 * f;
  }

  @Override
  public void hessianVectorProduct(float[] params, Batch batch, float[] v, float[] out) {
    multiply(v);
    for (int i = 0; i < dim; i++) {
      out[i] = (float) scratch[i];
    }
  }

  @Override
  public boolean hasExactHessianVectorProduct() {
    return true;
  }

  @Override
  public Evaluation evaluate(float[] params, Split split) {
    return Evaluation.lossOnly(loss(params, Batch.full(0)));
  }

  @Override
  public boolean isClassifier() {
    return false;
  }
}
