package org.metaopt.dl4j;

import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Copies between a contiguous float32 {@link INDArray} (a 1-D view of a network's parameters, gradient or updater
 * state) and a {@code float[]}, without allocating: straight from the array's native memory, optionally through an
 * index map (metaopt's row-major layout index {@code k} is the array's element {@code map[k]}). Stateless.
 */
public final class NdArrays {
  private NdArrays() {}

  /** The native memory of {@code array}'s first element, after checking it is float32, dense and stride 1. */
  private static FloatPointer pointer(INDArray array, int length, String what) {
    if (array.dataType() != DataType.FLOAT) {
      throw new IllegalStateException(what + " is " + array.dataType() + "; metaopt's learned optimizers need a FLOAT"
          + " network (the default; remove .dataType(...) from the configuration or set DataType.FLOAT)");
    }
    if (array.length() != length) {
      throw new IllegalStateException(what + " has " + array.length() + " elements, expected " + length);
    }
    if (length > 1 && array.elementWiseStride() != 1) {
      throw new IllegalStateException(what + " is not contiguous (element-wise stride " + array.elementWiseStride()
          + ")");
    }
    FloatPointer p = (FloatPointer) array.data().addressPointer();
    return p.position(0);
  }

  /** {@code dst[k] = array[k]} for all k ({@code dst.length == array.length()}). */
  public static void read(INDArray array, float[] dst, String what) {
    read(array, dst, dst.length, what);
  }

  /** {@code dst[k] = array[k]} for {@code k < length} ({@code length == array.length() <= dst.length}). */
  public static void read(INDArray array, float[] dst, int length, String what) {
    pointer(array, length, what).get(dst, 0, length);
  }

  /** {@code array[k] = src[k]} for all k. */
  public static void write(float[] src, INDArray array, String what) {
    pointer(array, src.length, what).put(src, 0, src.length);
  }

  /**
   * {@code dst[k] = array[map[k]]}: gathers the array's elements into metaopt's layout ({@code map == null}: the
   * identity, a plain copy). {@code scratch} has the array's length and is overwritten.
   */
  public static void gather(INDArray array, int[] map, float[] scratch, float[] dst, String what) {
    if (map == null) {
      read(array, dst, what);
      return;
    }
    read(array, scratch, what);
    for (int k = 0; k < dst.length; k++) {
      dst[k] = scratch[map[k]];
    }
  }

  /** {@code array[map[k]] = src[k]}: scatters metaopt's layout back ({@code map == null}: a plain copy). */
  public static void scatter(float[] src, int[] map, float[] scratch, INDArray array, String what) {
    if (map == null) {
      write(src, array, what);
      return;
    }
    for (int k = 0; k < src.length; k++) {
      scratch[map[k]] = src[k];
    }
    write(scratch, array, what);
  }
}
