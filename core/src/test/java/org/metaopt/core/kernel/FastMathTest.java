package org.metaopt.core.kernel;




import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@link FastMath}'s approximations against {@link Math}, and {@link BlockOps} against plain loops. */
class FastMathTest {

  @Test
  void tanhAndSigmoidAreWithinTheirDocumentedError() {
    double worstTanh = 0;
    double worstSigmoid = 0;
    for (double x = -30; x <= 30; x += 1e-3) {
      worstTanh = Math.max(worstTanh, Math.abs(FastMath.tanh((float) x) - Math.tanh((float) x)));
      worstSigmoid = Math.max(worstSigmoid, Math.abs(FastMath.sigmoid((float) x) - 1 / (1 + Math.exp(-(float) x))));
    }
    assertTrue(worstTanh < 7e-6, "tanh error " + worstTanh);
    assertTrue(worstSigmoid < 4e-6, "sigmoid error " + worstSigmoid);
    assertEquals(1f, FastMath.tanh(Float.MAX_VALUE));
    assertEquals(-1f, FastMath.tanh(-Float.MAX_VALUE));
    assertEquals(0f, FastMath.tanh(0f));
  }

  @Test
  void theGruFormsAreWithinTanhsErrorAndBounded() {
    final int len = 60_001;
    float[] x = new float[len];
    for (int i = 0; i < len; i++) {
      x[i] = (float) (-30 + i * 1e-3);
    }
    float[] t = x.clone();
    FastMathLoops.gruTanh(t, len);
    float[] s = new float[len];
    for (int i = 0; i < len; i++) {
      s[i] = x[i] * 0.5f; // the gates' pre-activations come halved
    }
    FastMathLoops.gruSigmoidOfHalf(s, len);
    double worstTanh = 0;
    double worstSigmoid = 0;
    for (int i = 0; i < len; i++) {
      worstTanh = Math.max(worstTanh, Math.abs(t[i] - Math.tanh(x[i])));
      worstSigmoid = Math.max(worstSigmoid, Math.abs(s[i] - 1 / (1 + Math.exp(-x[i]))));
      assertTrue(Math.abs(t[i]) <= 1f && s[i] >= 0f && s[i] <= 1f, "bounded at " + x[i]);
    }
    assertTrue(worstTanh < 7e-6, "tanh error " + worstTanh);
    assertTrue(worstSigmoid < 4e-6, "sigmoid error " + worstSigmoid);
    float[] special = {Float.MAX_VALUE, -Float.MAX_VALUE, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, -0f};
    FastMathLoops.gruTanh(special, special.length);
    assertEquals(1f, special[0]);
    assertEquals(-1f, special[1]);
    assertEquals(1f, special[2]);
    assertEquals(-1f, special[3]);
    assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(special[4]));
  }

  @Test
  void logIsAccurateOverTheNormalFloatRange() {
    double worst = 0;
    for (double x = 1e-37; x < 3e38; x *= 1.0137) {
      float f = (float) x;
      worst = Math.max(worst, Math.abs(FastMath.log(f) - Math.log(f)) / Math.max(1, Math.abs(Math.log(f))));
    }
    assertTrue(worst < 2e-6, "log error " + worst);
  }

  @Test
  void asinhIsAccurateAndOdd() {
    double worst = 0;
    for (double a = 1e-8; a < 1e18; a *= 1.011) {
      float f = (float) a;
      double exact = Math.log(f + Math.sqrt((double) f * f + 1));
      worst = Math.max(worst, Math.abs(FastMath.asinh(f) - exact) / exact);
      assertEquals(-FastMath.asinh(f), FastMath.asinh(-f));
    }
    assertTrue(worst < 2e-5, "asinh relative error " + worst);
    assertEquals(0f, FastMath.asinh(0f));
  }

  @Test
  void expIsAccurateOverTheLearningRateRange() {
    double worst = 0;
    for (double x = -80; x <= 80; x += 1e-3) {
      worst = Math.max(worst, Math.abs(FastMath.exp((float) x) / Math.exp((float) x) - 1));
    }
    assertTrue(worst < 2e-5, "exp relative error " + worst);
  }
  @Test
  void affineMatchesAPlainMatrixProduct() {
    int rows = 5;
    int cols = 7;
    int stride = 16;
    int len = 11;
    float[] w = new float[3 + rows * 9];
    float[] bias = new float[2 + rows];
    float[] in = new float[cols * stride];
    for (int i = 0; i < w.length; i++) {
      w[i] = (float) Math.sin(i);
    }
    for (int i = 0; i < bias.length; i++) {
      bias[i] = (float) Math.cos(i);
    }
    for (int i = 0; i < in.length; i++) {
      in[i] = (float) Math.sin(0.3 * i + 1);
    }
    float[] out = new float[rows * stride];
    BlockOps.affine(w, 3, 9, bias, 2, rows, cols, in, out, stride, len);
    for (int r = 0; r < rows; r++) {
      for (int b = 0; b < len; b++) {
        double want = bias[2 + r];
        for (int k = 0; k < cols; k++) {
          want += w[3 + r * 9 + k] * in[k * stride + b];
        }
        assertEquals(want, out[r * stride + b], 1e-5, "row " + r + " coordinate " + b);
      }
    }
  }
}
