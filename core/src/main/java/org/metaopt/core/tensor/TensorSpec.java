package org.metaopt.core.tensor;

import java.util.Arrays;

/**
 * One named parameter tensor inside a flat parameter vector: its shape and where it starts.
 *
 * <p>Immutable. {@code offset} indexes the flat {@code float[]} owned by whoever holds the parameters.
 */
public record TensorSpec(String name, int[] shape, int offset) {

  public TensorSpec {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("tensor name must be non-empty");
    }
    if (shape == null || shape.length == 0) {
      throw new IllegalArgumentException("tensor '" + name + "' needs a shape with at least one dimension");
    }
    for (int d : shape) {
      if (d <= 0) {
        throw new IllegalArgumentException(
            "tensor '" + name + "' has dimension " + d + " in shape " + Arrays.toString(shape) + "; must be >= 1");
      }
    }
    if (offset < 0) {
      throw new IllegalArgumentException("tensor '" + name + "' offset " + offset + " must be >= 0");
    }
    shape = shape.clone();
  }

  /** Number of scalars in this tensor. */
  public int size() {
    int n = 1;
    for (int d : shape) {
      n = Math.multiplyExact(n, d);
    }
    return n;
  }

  /**
   * The inputs each output of this tensor sees, in the layouts' conventions: a dense weight is {@code [in, out]}
   * ({@code shape[0]}), a convolution kernel {@code [out, in, kh, kw]} (the product of all dimensions but the
   * first); a vector (rank 1) has fan-in 1.
   */
  public int fanIn() {
    if (shape.length == 1) {
      return 1;
    }
    if (shape.length == 2) {
      return shape[0];
    }
    return size() / shape[0];
  }

  /**
   * The width-aware step's factor for this tensor: {@code min(1, fanInBase / fanIn())} for a tensor of rank 2 or
   * more, 1 for a vector or when {@code fanInBase} is 0 (off).
   */
  public double widthScale(double fanInBase) {
    return fanInBase > 0 && shape.length >= 2 ? Math.min(1.0, fanInBase / fanIn()) : 1.0;
  }

  /** One past the last index of this tensor in the flat vector. */
  public int end() {
    return offset + size();
  }

  @Override
  public int[] shape() {
    return shape.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TensorSpec t && t.name.equals(name) && t.offset == offset && Arrays.equals(t.shape, shape);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * name.hashCode() + Arrays.hashCode(shape)) + offset;
  }

  @Override
  public String toString() {
    return name + Arrays.toString(shape) + "@" + offset;
  }
}
