package org.metaopt.core.tuning;

import java.util.List;

/**
 * The outcome of a learning-rate grid search for one optimizer on one task spec (see {@link LearningRateTuner}).
 *
 * @param specHash SHA-256 of the resolved task spec
 * @param optimizer baseline name
 * @param steps steps of every trial run
 * @param scoring the scoring rule, in words ({@link LearningRateTuner#SCORING})
 * @param grid learning rates tried, increasing (the extension included)
 * @param scores per grid point: the mean final full-train-split loss over the tuning seeds ({@code Infinity} when
 *     a seed diverged)
 * @param bestLearningRate the grid point with the lowest score
 * @param extended whether the first grid's best point was at an edge and the grid was extended past it (once)
 * @param curves per grid point, the minibatch-loss curve averaged over the tuning seeds, downsampled by
 *     {@link org.metaopt.core.train.LossCurve} with {@code curveStride} ({@code Infinity} from a seed's divergence
 *     on); what the speedup envelope is built from
 * @param curveStride steps per curve point
 */
public record TuningResult(
    String specHash, String optimizer, int steps, String scoring, List<Double> grid, List<Double> scores,
    double bestLearningRate, boolean extended, List<float[]> curves, int curveStride) {

  public TuningResult {
    grid = List.copyOf(grid);
    scores = List.copyOf(scores);
    curves = curves == null ? List.of() : List.copyOf(curves);
    if (grid.size() != scores.size() || grid.isEmpty()) {
      throw new IllegalArgumentException("grid and scores must be non-empty and of equal length");
    }
    if (!curves.isEmpty() && curves.size() != grid.size()) {
      throw new IllegalArgumentException(curves.size() + " curves for " + grid.size() + " grid points");
    }
  }

  /** True when the best learning rate is at an end of the (possibly extended) grid: the grid may still be narrow. */
  public boolean bestAtGridEdge() {
    return bestLearningRate == grid.get(0) || bestLearningRate == grid.get(grid.size() - 1);
  }

  /** The best point's score. */
  public double bestScore() {
    return scores.get(grid.indexOf(bestLearningRate));
  }
}
