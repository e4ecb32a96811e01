package org.metaopt.core.tuning;

import java.util.List;

/**
 * The outcome of a learning-rate grid search for one optimizer on one task spec.
 *
 * @param specHash SHA-256 of the resolved task spec
 * @param optimizer baseline name
 * @param steps steps of every trial run
 * @param seed the tuning seed (distinct from evaluation seeds)
 * @param grid learning rates tried, increasing
 * @param scores per grid point: mean minibatch loss over the last 10% of steps ({@code Infinity} when diverged)
 * @param bestLearningRate the grid point with the lowest score
 */
public record TuningResult(
    String specHash, String optimizer, int steps, long seed, List<Double> grid, List<Double> scores,
    double bestLearningRate) {

  public TuningResult {
    grid = List.copyOf(grid);
    scores = List.copyOf(scores);
    if (grid.size() != scores.size() || grid.isEmpty()) {
      throw new IllegalArgumentException("grid and scores must be non-empty and of equal length");
    }
  }

  /** True when the best learning rate is at an end of the grid (the grid may be too narrow). */
  public boolean bestAtGridEdge() {
    return bestLearningRate == grid.get(0) || bestLearningRate == grid.get(grid.size() - 1);
  }
}
