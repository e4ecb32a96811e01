package org.metaopt.core.task.functions;

import java.util.SplittableRandom;
import org.metaopt.core.task.Batch;
import org.metaopt.core.task.Evaluation;
import org.metaopt.core.task.Split;
import org.metaopt.core.task.Task;
import org.metaopt.core.tensor.ParamLayout;

/**
 * A {@link TestFunction} as an optimizee: deterministic, data-free, initial points uniform in the function's
 * box. Where the function has no exact Hessian-vector product, central differences of the double-precision
 * gradient are used. Holds double scratch buffers: not thread-safe.
 */
public final class TestFunctionTask implements Task {
  private static final double FD_STEP = 1e-5;
  private final String name;
  private final TestFunction function;
  private final int dim;
  private final ParamLayout layout;
  private final double[] x;
  private final double[] g;
  private final double[] v;
  private final double[] hv;
  private final double[] gMinus;

  public TestFunctionTask(String name, TestFunction function, int dim) {
    int fixed = function.fixedDimension();
    if (fixed > 0 && dim != fixed) {
      throw new IllegalArgumentException(function.name() + " is defined only for dim " + fixed + ", got " + dim);
    }
    if (dim < 1) {
      throw new IllegalArgumentException("dim " + dim + " must be >= 1");
    }
    this.name = name;
    this.function = function;
    this.dim = dim;
    this.layout = ParamLayout.vector("x", dim);
    this.x = new double[dim];
    this.g = new double[dim];
    this.v = new double[dim];
    this.hv = new double[dim];
    this.gMinus = new double[dim];
  }

  public TestFunction function() {
    return function;
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
    float[] p = new float[dim];
    double r = function.initRadius();
    for (int i = 0; i < dim; i++) {
      p[i] = (float) (rng.nextDouble(-r, r));
    }
    return p;
  }

  @Override
  public Batch sampleBatch(SplittableRandom rng) {
    return Batch.full(rng.nextLong());
  }

  private void load(float[] params) {
    for (int i = 0; i < dim; i++) {
      x[i] = params[i];
    }
  }

  @Override
  public double lossAndGradient(float[] params, Batch batch, float[] grad) {
    load(params);
    double f = function.valueAndGradient(x, g);
    for (int i = 0; i < dim; i++) {
      grad[i] = (float) g[i];
    }
    return f;
  }

  @Override
  public double loss(float[] params, Batch batch) {
    load(params);
    return function.value(x);
  }

  @Override
  public void hessianVectorProduct(float[] params, Batch batch, float[] vec, float[] out) {
    load(params);
    for (int i = 0; i < dim; i++) {
      v[i] = vec[i];
    }
    if (!function.hessianVectorProduct(x, v, hv)) {
      double norm = 0;
      for (double vi : v) {
        norm += vi * vi;
      }
      double eps = FD_STEP / Math.max(1.0, Math.sqrt(norm));
      for (int i = 0; i < dim; i++) {
        x[i] = params[i] + eps * v[i];
      }
      function.valueAndGradient(x, g);
      for (int i = 0; i < dim; i++) {
        x[i] = params[i] - eps * v[i];
      }
      function.valueAndGradient(x, gMinus);
      for (int i = 0; i < dim; i++) {
        hv[i] = (g[i] - gMinus[i]) / (2 * eps);
      }
    }
    for (int i = 0; i < dim; i++) {
      out[i] = (float) hv[i];
    }
  }

  @Override
  public boolean hasExactHessianVectorProduct() {
    return function.hessianVectorProduct(new double[dim], new double[dim], new double[dim]);
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
