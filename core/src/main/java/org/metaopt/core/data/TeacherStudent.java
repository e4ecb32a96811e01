package org.metaopt.core.data;

import java.util.SplittableRandom;
import org.metaopt.core.UserError;

/**
 * A synthetic classification set needing no files: Gaussian inputs {@code x ~ N(0, I)} labelled by the
 * argmax of a random teacher MLP {@code inputDim -> hiddenWidth (tanh) -> numClasses} with weights
 * {@code N(0, 1/fanIn)} and no biases. Deterministic from {@code seed}; each split has its own random
 * stream, so a split does not change when another's size does. Immutable; thread-safe.
 */
public record TeacherStudent(int inputDim, int numClasses, int hiddenWidth, SplitSizes sizes, long seed) {

  public TeacherStudent {
    if (inputDim < 1) {
      throw new UserError("teacher-student inputDim " + inputDim + " must be >= 1");
    }
    if (numClasses < 2) {
      throw new UserError("teacher-student numClasses " + numClasses + " must be >= 2");
    }
    if (hiddenWidth < 1) {
      throw new UserError("teacher-student hiddenWidth " + hiddenWidth + " must be >= 1");
    }
    if (sizes == null) {
      throw new UserError("teacher-student sizes are required");
    }
  }

  /** Draws the teacher and the three splits. */
  public DataSplits generate() {
    SplittableRandom root = new SplittableRandom(seed);
    SplittableRandom teacherRng = new SplittableRandom(root.nextLong());
    double[] w1 = gaussian(teacherRng, hiddenWidth * inputDim, 1.0 / Math.sqrt(inputDim));
    double[] w2 = gaussian(teacherRng, numClasses * hiddenWidth, 1.0 / Math.sqrt(hiddenWidth));
    long trainSeed = root.nextLong();
    long validationSeed = root.nextLong();
    long testSeed = root.nextLong();
    return new DataSplits(
        split("teacher-student/train", sizes.trainExamples(), trainSeed, w1, w2),
        split("teacher-student/validation", sizes.validationExamples(), validationSeed, w1, w2),
        split("teacher-student/test", sizes.testExamples(), testSeed, w1, w2));
  }

  private Dataset split(String name, int n, long splitSeed, double[] w1, double[] w2) {
    if (n == 0) {
      return null;
    }
    SplittableRandom rng = new SplittableRandom(splitSeed);
    float[] x = new float[n * inputDim];
    int[] labels = new int[n];
    double[] h = new double[hiddenWidth];
    for (int i = 0; i < n; i++) {
      int off = i * inputDim;
      for (int j = 0; j < inputDim; j++) {
        x[off + j] = (float) rng.nextGaussian();
      }
      for (int k = 0; k < hiddenWidth; k++) {
        double s = 0;
        for (int j = 0; j < inputDim; j++) {
          s += w1[k * inputDim + j] * x[off + j];
        }
        h[k] = Math.tanh(s);
      }
      int best = 0;
      double bestLogit = Double.NEGATIVE_INFINITY;
      for (int c = 0; c < numClasses; c++) {
        double s = 0;
        for (int k = 0; k < hiddenWidth; k++) {
          s += w2[c * hiddenWidth + k] * h[k];
        }
        if (s > bestLogit) {
          bestLogit = s;
          best = c;
        }
      }
      labels[i] = best;
    }
    return Dataset.classification(name, x, inputDim, labels, numClasses);
  }

  static double[] gaussian(SplittableRandom rng, int n, double std) {
    double[] w = new double[n];
    for (int i = 0; i < n; i++) {
      w[i] = rng.nextGaussian() * std;
    }
    return w;
  }
}
