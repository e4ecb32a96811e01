package org.metaopt.core.lopt.celo2;

import java.util.List;
import org.metaopt.core.tensor.ParamLayout;
import org.metaopt.core.tensor.TensorSpec;

/**
 * How a {@link Celo2Optimizer} sees its task layout: which tensors are matrices (rank ≥ 2; a dense {@code [in, out]}
 * as stored, a conv {@code [out, in, kh, kw]} as {@code out × (in·kh·kw)}), their rows and columns, each tensor's
 * rate over η_t, the offsets of each matrix's row and column statistics, and the largest sizes the scratch is
 * allocated for.
 *
 * <p>Computed once when the optimizer is created; immutable after construction (the arrays are not copied out, so
 * callers must not write them) and so safe to read from any thread.
 */
final class Celo2Tensors {
  /** The task layout's tensors, in layout order. */
  final List<TensorSpec> list;
  /** Whether each tensor takes the matrix branch. */
  final boolean[] matrix;
  final int[] rows;
  final int[] cols;
  /** Each tensor's rate over η_t: vectorLrMult for vectors, muScale / fanIn for hidden matrices when on, else 1. */
  final float[] rateMult;
  /** Offsets of each matrix's row and column statistics in {@link Celo2State#rowStat} / {@link Celo2State#colStat}. */
  final int[] rowOff;
  final int[] colOff;
  /** Rows and columns of all matrices together (the lengths of the factored statistics). */
  final int totalRows;
  final int totalCols;
  /** Largest rows, columns and size of a matrix (at least 1). */
  final int maxRows;
  final int maxCols;
  final int maxMatrix;

  Celo2Tensors(ParamLayout taskLayout, Celo2Config c) {
    this.list = taskLayout.tensors();
    int n = list.size();
    this.matrix = new boolean[n];
    this.rows = new int[n];
    this.cols = new int[n];
    this.rateMult = new float[n];
    this.rowOff = new int[n];
    this.colOff = new int[n];
    int first = -1;
    int last = -1;
    for (int k = 0; k < n; k++) {
      if (list.get(k).shape().length >= 2) {
        last = k;
        first = first < 0 ? k : first;
      }
    }
    int totalRows = 0;
    int totalCols = 0;
    int maxRows = 1;
    int maxCols = 1;
    int maxMatrix = 1;
    for (int k = 0; k < n; k++) {
      TensorSpec s = list.get(k);
      int[] shape = s.shape();
      matrix[k] = shape.length >= 2;
      if (!matrix[k]) {
        rateMult[k] = (float) c.vectorLrMult();
        continue;
      }
      rows[k] = shape[0]; // a dense [in, out] as stored; a conv [out, in, kh, kw] as out x (in kh kw)
      cols[k] = s.size() / shape[0];
      rateMult[k] = c.muScale() > 0 && k != first && k != last ? (float) (c.muScale() / s.fanIn()) : 1f;
      rowOff[k] = totalRows;
      colOff[k] = totalCols;
      totalRows += rows[k];
      totalCols += cols[k];
      maxRows = Math.max(maxRows, rows[k]);
      maxCols = Math.max(maxCols, cols[k]);
      maxMatrix = Math.max(maxMatrix, s.size());
    }
    this.totalRows = totalRows;
    this.totalCols = totalCols;
    this.maxRows = maxRows;
    this.maxCols = maxCols;
    this.maxMatrix = maxMatrix;
  }

  int size() {
    return list.size();
  }
}
