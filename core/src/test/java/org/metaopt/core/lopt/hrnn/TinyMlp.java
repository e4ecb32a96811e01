package org.metaopt.core.lopt.hrnn;

import java.util.SplittableRandom;
import org.metaopt.core.data.DataSplits;
import org.metaopt.core.data.Dataset;
import org.metaopt.core.task.Split;
import org.metaopt.core.task.Task;
import org.metaopt.core.task.nets.Activation;
import org.metaopt.core.task.nets.MlpTask;

/** A 8-16-3 tanh MLP on 64 Gaussian points labelled by a random linear teacher, for optimizer tests. */
final class TinyMlp {
  private TinyMlp() {}

  static Task task() {
    SplittableRandom rng = new SplittableRandom(12);
    int f = 8;
    int k = 3;
    float[] teacher = new float[f * k];
    for (int i = 0; i < teacher.length; i++) {
      teacher[i] = (float) rng.nextGaussian();
    }
    Dataset train = data("train", teacher, f, k, 64, rng);
    DataSplits splits = new DataSplits(train, data("validation", teacher, f, k, 64, rng),
        data("test", teacher, f, k, 64, rng));
    return new MlpTask("tiny-mlp", splits, new int[] {16}, Activation.TANH, 16);
  }

  static double trainLoss(Task task, float[] params) {
    return task.evaluate(params, Split.TRAIN).loss();
  }

  private static Dataset data(String name, float[] teacher, int f, int k, int n, SplittableRandom rng) {
    float[] x = new float[n * f];
    int[] y = new int[n];
    for (int r = 0; r < n; r++) {
      double best = Double.NEGATIVE_INFINITY;
      for (int i = 0; i < f; i++) {
        x[r * f + i] = (float) rng.nextGaussian();
      }
      for (int c = 0; c < k; c++) {
        double s = 0;
        for (int i = 0; i < f; i++) {
          s += x[r * f + i] * teacher[i * k + c];
        }
        if (s > best) {
          best = s;
          y[r] = c;
        }
      }
    }
    return Dataset.classification(name, x, f, y, k);
  }
}
