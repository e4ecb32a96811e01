package org.metaopt.core.meta;

import java.util.Map;
import org.metaopt.core.lopt.LearnedOptimizer;
import org.metaopt.core.lopt.LearnedUpdate;
import org.metaopt.core.tensor.ParamLayout;

/**
 * A two-parameter learned optimizer for estimator tests: heavy-ball momentum with θ = [log η, logit β],
 * {@code m = β m + g; w -= η m}. Smooth in θ, so finite differences of a full unroll give the exact meta-gradient.
 */
final class MomentumGdArchitecture implements LearnedOptimizer {
  private static final ParamLayout LAYOUT = ParamLayout.builder().add("logStepSize", 1).add("logitMomentum", 1).build();

  @Override
  public String architecture() {
    return "test-momentum-gd";
  }

  @Override
  public Map<String, Object> hyperparameters() {
    return Map.of();
  }

  @Override
  public ParamLayout metaLayout() {
    return LAYOUT;
  }

  @Override
  public float[] initialMetaParams(long seed) {
    return new float[] {(float) Math.log(0.3), 0f};
  }

  @Override
  public LearnedUpdate create(float[] theta, ParamLayout taskLayout, int totalSteps) {
    float[] th = theta.clone();
    float[] m = new float[taskLayout.size()];
    return new LearnedUpdate() {
      @Override
      public void setMetaParams(float[] t) {
        System.arraycopy(t, 0, th, 0, th.length);
      }

      @Override
      public void step(float[] params, float[] grad) {
        double eta = Math.exp(th[0]);
        double beta = 1 / (1 + Math.exp(-th[1]));
        for (int i = 0; i < params.length; i++) {
          m[i] = (float) (beta * m[i] + grad[i]);
          params[i] -= (float) (eta * m[i]);
        }
      }

      @Override
      public void reset() {
        java.util.Arrays.fill(m, 0f);
      }

      @Override
      public int stateSize() {
        return m.length;
      }

      @Override
      public void saveState(float[] dst, int offset) {
        System.arraycopy(m, 0, dst, offset, m.length);
      }

      @Override
      public void loadState(float[] src, int offset) {
        System.arraycopy(src, offset, m, 0, m.length);
      }

      @Override
      public String name() {
        return architecture();
      }

      @Override
      public double learningRate() {
        return Math.exp(th[0]);
      }
    };
  }
}
