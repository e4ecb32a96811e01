package org.metaopt.dl4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** Native copies match ND4J's own element access, for whole arrays and for views at an offset. */
class NdArraysTest {

  @Test
  void readsAndWritesViewsAtAnOffset() {
    float[] values = new float[40];
    for (int i = 0; i < values.length; i++) {
      values[i] = i;
    }
    INDArray whole = Nd4j.createFromArray(values).reshape(1, 40);
    INDArray view = whole.reshape(40).get(NDArrayIndex.interval(7, 19));
    float[] got = new float[12];
    NdArrays.read(view, got, "view");
    assertArrayEquals(view.toFloatVector(), got);
    float[] put = new float[12];
    for (int i = 0; i < put.length; i++) {
      put[i] = -i - 0.5f;
    }
    NdArrays.write(put, view, "view");
    assertArrayEquals(put, whole.reshape(40).get(NDArrayIndex.interval(7, 19)).toFloatVector());
    assertArrayEquals(new float[] {6, 19}, new float[] {whole.getFloat(0, 6), whole.getFloat(0, 19)});
    INDArray nested = view.get(NDArrayIndex.interval(2, 5));
    float[] three = new float[3];
    NdArrays.read(nested, three, "nested");
    assertArrayEquals(new float[] {-2.5f, -3.5f, -4.5f}, three);
  }

  @Test
  void gatherAndScatterFollowTheMap() {
    INDArray a = Nd4j.createFromArray(10f, 11f, 12f, 13f);
    int[] map = {2, 0, 3, 1};
    float[] scratch = new float[4];
    float[] out = new float[4];
    NdArrays.gather(a, map, scratch, out, "a");
    assertArrayEquals(new float[] {12, 10, 13, 11}, out);
    NdArrays.scatter(new float[] {1, 2, 3, 4}, map, scratch, a, "a");
    assertArrayEquals(new float[] {2, 4, 1, 3}, a.toFloatVector());
  }

  @Test
  void aDoubleArrayIsAClearError() {
    INDArray d = Nd4j.zeros(DataType.DOUBLE, 3);
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> NdArrays.read(d, new float[3], "params"));
    assertTrue(e.getMessage().contains("need a FLOAT network"), e.getMessage());
  }
}
