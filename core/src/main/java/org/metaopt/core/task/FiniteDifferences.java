package org.metaopt.core.task;

/**
 * Central finite differences of gradients, the Hessian-vector product for tasks with no exact one, and the
 * reference that exact products and gradients are tested against.
 */
public final class FiniteDifferences {
  private FiniteDifferences() {}

  /**
   * {@code out = (g(w + eps v) - g(w - eps v)) / (2 eps)} with {@code eps = relStep / max(1, ||v||)}, computed
   * in double where it matters. Allocates two scratch vectors; not for hot loops.
   */
  public static void hessianVectorProduct(Task task, float[] params, Batch batch, float[] v, float[] out, double relStep) {
    int n = params.length;
    double norm = 0;
    for (float x : v) {
      norm += (double) x * x;
    }
    norm = Math.sqrt(norm);
    if (norm == 0) {
      java.util.Arrays.fill(out, 0f);
      return;
    }
    double eps = relStep / Math.max(1.0, norm);
    float[] w = new float[n];
    float[] gp = new float[n];
    float[] gm = new float[n];
    for (int i = 0; i < n; i++) {
      w[i] = (float) (params[i] + eps * v[i]);
    }
    task.lossAndGradient(w, batch, gp);
    for (int i = 0; i < n; i++) {
      w[i] = (float) (params[i] - eps * v[i]);
    }
    task.lossAndGradient(w, batch, gm);
    for (int i = 0; i < n; i++) {
      out[i] = (float) ((gp[i] - gm[i]) / (2 * eps));
    }
  }
}
