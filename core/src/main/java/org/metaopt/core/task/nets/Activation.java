package org.metaopt.core.task.nets;

import java.util.Locale;
import org.metaopt.core.UserError;

/**
 * A pointwise hidden-layer nonlinearity with its first and second derivatives (the second is what the exact
 * Hessian-vector product needs). Stateless and thread-safe.
 */
public enum Activation {
  RELU,
  TANH,
  SIGMOID;

  /** Parses {@code relu}, {@code tanh} or {@code sigmoid} (any case). */
  public static Activation parse(String name) {
    try {
      return valueOf(name.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new UserError("unknown activation '" + name + "'; use one of relu, tanh, sigmoid");
    }
  }

  public float value(float z) {
    return switch (this) {
      case RELU -> z > 0 ? z : 0f;
      case TANH -> (float) Math.tanh(z);
      case SIGMOID -> sigmoid(z);
    };
  }

  public float derivative(float z) {
    return switch (this) {
      case RELU -> z > 0 ? 1f : 0f;
      case TANH -> {
        float t = (float) Math.tanh(z);
        yield 1f - t * t;
      }
      case SIGMOID -> {
        float s = sigmoid(z);
        yield s * (1f - s);
      }
    };
  }

  public float secondDerivative(float z) {
    return switch (this) {
      case RELU -> 0f;
      case TANH -> {
        float t = (float) Math.tanh(z);
        yield -2f * t * (1f - t * t);
      }
      case SIGMOID -> {
        float s = sigmoid(z);
        yield s * (1f - s) * (1f - 2f * s);
      }
    };
  }

  /** {@code out[i] = value(z[i])} for {@code i < n}; one monomorphic loop per activation. */
  public void apply(float[] z, float[] out, int n) {
    switch (this) {
      case RELU -> {
        for (int i = 0; i < n; i++) {
          out[i] = Math.max(z[i], 0f);
        }
      }
      case TANH -> {
        for (int i = 0; i < n; i++) {
          out[i] = (float) Math.tanh(z[i]);
        }
      }
      case SIGMOID -> {
        for (int i = 0; i < n; i++) {
          out[i] = sigmoid(z[i]);
        }
      }
    }
  }

  /** {@code d[i] *= derivative(z[i])} for {@code i < n}, where {@code a = value(z)} (cheaper from {@code a}). */
  public void multiplyByDerivative(float[] z, float[] a, float[] d, int n) {
    switch (this) {
      case RELU -> {
        for (int i = 0; i < n; i++) {
          d[i] = z[i] > 0 ? d[i] : 0f;
        }
      }
      case TANH -> {
        for (int i = 0; i < n; i++) {
          d[i] *= 1f - a[i] * a[i];
        }
      }
      case SIGMOID -> {
        for (int i = 0; i < n; i++) {
          d[i] *= a[i] * (1f - a[i]);
        }
      }
    }
  }

  private static float sigmoid(float z) {
    return (float) (1.0 / (1.0 + Math.exp(-z)));
  }
}
