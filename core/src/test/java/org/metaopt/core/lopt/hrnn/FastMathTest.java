package org.metaopt.core.lopt.hrnn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class FastMathTest {

  @Test
  void tanhAndSigmoidAreWithinStatedAccuracyEverywhere() {
    double worstTanh = 0;
    double worstSigmoid = 0;
    for (double x = -30; x <= 30; x += 1e-3) {
      worstTanh = Math.max(worstTanh, Math.abs(FastMath.tanh((float) x) - Math.tanh((float) x)));
      double sig = 1 / (1 + Math.exp(-(float) x));
      worstSigmoid = Math.max(worstSigmoid, Math.abs(FastMath.sigmoid((float) x) - sig));
    }
    assertTrue(worstTanh < 1.1e-4, "tanh error " + worstTanh);
    assertTrue(worstSigmoid < 6e-5, "sigmoid error " + worstSigmoid);
    assertEquals(1f, FastMath.tanh(Float.MAX_VALUE), 1e-6f);
    assertEquals(-1f, FastMath.tanh(-Float.MAX_VALUE), 1e-6f);
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
}
