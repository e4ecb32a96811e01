package org.metaopt.core.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.metaopt.core.kernel.NewtonSchulzReference;
import org.metaopt.core.tensor.ParamLayout;
import org.metaopt.core.tensor.TensorSpec;

/**
 * {@link Muon} against a double-precision transcription of Keller Jordan's {@code muon_update} and
 * {@code adam_update} written in PyTorch's {@code (out, in)} weight convention, and its routing of tensors.
 */
class MuonTest {
  /** A vector and three dense layers: only the middle layer {@code w2} ({@code 8 -> 12}, scale sqrt(1.5)) is hidden. */
  static final ParamLayout DENSE = ParamLayout.builder().add("w1", 6, 8).add("b1", 8).add("w2", 8, 12)
      .add("b2", 12).add("w3", 12, 3).build();
  /**
   * Two hidden convolutions between dense input and output layers: {@code c1} {@code [32, 2, 2, 2]} (32 outputs,
   * fan-in 8: scale 2) and {@code c2} {@code [4, 32, 1, 1]} (fan-in 32 over 4 outputs: scale 1).
   */
  static final ParamLayout CONV = ParamLayout.builder().add("w1", 4, 8).add("c1", 32, 2, 2, 2).add("c1_b", 32)
      .add("c2", 4, 32, 1, 1).add("w3", 4, 3).add("b3", 3).build();
  static final int STEPS = 6;

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("dense, defaults", DENSE, Muon.Config.defaults(0.02)),
        Arguments.of("conv, defaults", CONV, Muon.Config.defaults(0.05)),
        Arguments.of("dense, weight decay", DENSE, new Muon.Config(0.1, 0.9, 0.5, 0.03, 0.8, 0.99, 1e-6)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void matchesTheDoublePrecisionReference(String label, ParamLayout layout, Muon.Config config) {
    int n = layout.size();
    float[] init = GradientSequence.initialParams(21, n);
    float[][] grads = GradientSequence.gradients(22, STEPS, n);
    float[] actual = GradientSequence.run(new Muon(config, layout), init, grads);
    double[] expected = reference(layout, config, init, grads);
    float[] expectedF = new float[n];
    for (int i = 0; i < n; i++) {
      expectedF[i] = (float) expected[i];
    }
    double diff = GradientSequence.maxRelativeDiff(actual, expectedF);
    assertTrue(diff < 1e-5, label + ": differs from the reference by " + diff);
    double moved = GradientSequence.maxRelativeDiff(expectedF, init);
    assertTrue(moved > 1e-2, label + ": parameters barely moved: " + moved);
  }

  @Test
  void routesOnlyTheHiddenMatricesToOrthogonalizedMomentum() {
    assertEquals(List.of("w2"), new Muon(Muon.Config.defaults(0.02), DENSE).muonTensors());
    assertEquals(List.of("c1", "c2"), new Muon(Muon.Config.defaults(0.02), CONV).muonTensors());
  }

  @Test
  void vectorsAndTheFirstAndLastMatricesFollowAdamWAtPointZeroOneFiveTimesTheRate() {
    double lr = 0.04;
    int n = DENSE.size();
    float[] init = GradientSequence.initialParams(23, n);
    float[][] grads = GradientSequence.gradients(24, 20, n);
    float[] muon = GradientSequence.run(new Muon(Muon.Config.defaults(lr), DENSE), init, grads);
    float[] adamW = GradientSequence.run(new AdamW(new AdamW.Config(lr * 0.015, 0.9, 0.95, 1e-8, 0), n), init, grads);
    TensorSpec hidden = DENSE.tensor("w2");
    for (int i = 0; i < n; i++) {
      if (i < hidden.offset() || i >= hidden.end()) {
        assertEquals(adamW[i], muon[i], 0f, "parameter " + i); // the same arithmetic: the same bits
      } else {
        assertTrue(Math.abs(adamW[i] - muon[i]) > 0, "hidden parameter " + i + " moved as AdamW's");
      }
    }
  }

  @Test
  void aLayoutWithoutHiddenMatricesIsPureAdamW() {
    ParamLayout layout = ParamLayout.builder().add("w", 16, 16).add("b", 16).add("out", 16, 2).build();
    int n = layout.size();
    Muon muon = new Muon(Muon.Config.defaults(0.1), layout);
    assertEquals(List.of(), muon.muonTensors());
    float[] init = GradientSequence.initialParams(25, n);
    float[][] grads = GradientSequence.gradients(26, 10, n);
    assertArrayEquals(GradientSequence.run(new AdamW(new AdamW.Config(0.1 * 0.015, 0.9, 0.95, 1e-8, 0), n), init,
        grads), GradientSequence.run(muon, init, grads));
  }

  @Test
  void aZeroFactorFreezesTheParametersAndOneKeepsEveryBit() {
    int n = CONV.size();
    float[] init = GradientSequence.initialParams(27, n);
    float[][] grads = GradientSequence.gradients(28, 5, n);
    Muon frozen = new Muon(Muon.Config.defaults(0.02), CONV);
    frozen.scaleLearningRate(0f);
    assertArrayEquals(init, GradientSequence.run(frozen, init, grads));
    Muon scaled = new Muon(Muon.Config.defaults(0.02), CONV);
    scaled.scaleLearningRate(0.3f);
    scaled.scaleLearningRate(1f);
    assertArrayEquals(GradientSequence.run(new Muon(Muon.Config.defaults(0.02), CONV), init, grads),
        GradientSequence.run(scaled, init, grads));
  }

  @Test
  void rejectsOutOfRangeHyperparametersNamingTheField() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new Muon.Config(0.02, 1.0, 0, 0.015, 0.9, 0.95, 1e-8));
    assertTrue(e.getMessage().contains("momentum"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new Muon.Config(0.02, 0.95, 0, 0, 0.9, 0.95, 1e-8));
    assertTrue(e.getMessage().contains("adamRatio"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new Muon.Config(0.02, 0.95, -1, 0.015, 0.9, 0.95, 1e-8));
    assertTrue(e.getMessage().contains("weightDecay"), e.getMessage());
  }

  /**
   * Keller Jordan's Muon in double, tensor by tensor; each hidden tensor viewed as PyTorch's {@code (out, in)}
   * matrix: a dense {@code [in, out]} weight transposed, a conv kernel {@code [out, in, kh, kw]} flattened.
   */
  static double[] reference(ParamLayout layout, Muon.Config c, float[] init, float[][] grads) {
    int n = layout.size();
    double[] w = new double[n];
    for (int i = 0; i < n; i++) {
      w[i] = init[i];
    }
    double[] mom = new double[n];
    double[] m = new double[n];
    double[] v = new double[n];
    List<TensorSpec> tensors = layout.tensors();
    List<TensorSpec> matrices = tensors.stream().filter(t -> t.shape().length >= 2).toList();
    TensorSpec first = matrices.isEmpty() ? null : matrices.get(0);
    TensorSpec last = matrices.isEmpty() ? null : matrices.get(matrices.size() - 1);
    double mu = c.momentum();
    for (int t = 1; t <= grads.length; t++) {
      float[] g = grads[t - 1];
      for (TensorSpec s : tensors) {
        int off = s.offset();
        if (s.shape().length >= 2 && s != first && s != last) {
          double[] u = new double[s.size()];
          for (int i = 0; i < s.size(); i++) {
            mom[off + i] = mu * mom[off + i] + (1 - mu) * g[off + i]; // momentum.lerp_(grad, 1 - beta)
            u[i] = (1 - mu) * g[off + i] + mu * mom[off + i]; // grad.lerp_(momentum, beta)
          }
          int[] shape = s.shape();
          boolean dense = shape.length == 2;
          int out = dense ? shape[1] : shape[0];
          int in = s.size() / out;
          double[][] torch = new double[out][in];
          for (int o = 0; o < out; o++) {
            for (int j = 0; j < in; j++) {
              torch[o][j] = dense ? u[j * out + o] : u[o * in + j];
            }
          }
          double[][] ortho = NewtonSchulzReference.orthogonalize(torch);
          double scale = Math.sqrt(Math.max(1, (double) out / in)); // max(1, size(-2) / size(-1)) ** 0.5
          for (int o = 0; o < out; o++) {
            for (int j = 0; j < in; j++) {
              int i = off + (dense ? j * out + o : o * in + j);
              w[i] = w[i] * (1 - c.learningRate() * c.weightDecay()) - c.learningRate() * scale * ortho[o][j];
            }
          }
        } else {
          double lr = c.learningRate() * c.adamRatio();
          double b1 = c.adamBeta1();
          double b2 = c.adamBeta2();
          for (int i = off; i < s.end(); i++) {
            m[i] = b1 * m[i] + (1 - b1) * g[i];
            v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
            double mHat = m[i] / (1 - Math.pow(b1, t));
            double vHat = v[i] / (1 - Math.pow(b2, t));
            w[i] -= lr * mHat / (Math.sqrt(vHat) + c.adamEpsilon());
          }
        }
      }
    }
    return w;
  }
}
