package org.metaopt.core.tensor;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The tensor structure of a flat parameter vector: an ordered list of named tensors laid out back to back.
 *
 * <p>Learned optimizers that work per tensor (the hierarchical RNN) read this; everything else only needs
 * {@link #size()}. Immutable and thread-safe.
 */
public final class ParamLayout {
  private final List<TensorSpec> tensors;
  private final int size;

  private ParamLayout(List<TensorSpec> tensors) {
    this.tensors = List.copyOf(tensors);
    this.size = tensors.isEmpty() ? 0 : tensors.get(tensors.size() - 1).end();
  }

  /** Starts a layout; tensors are appended in order. */
  public static Builder builder() {
    return new Builder();
  }

  /** A layout with a single tensor named {@code name} of shape {@code [n]}. */
  public static ParamLayout vector(String name, int n) {
    return builder().add(name, n).build();
  }

  public List<TensorSpec> tensors() {
    return tensors;
  }

  /** Total number of scalars. */
  public int size() {
    return size;
  }

  public TensorSpec tensor(String name) {
    for (TensorSpec t : tensors) {
      if (t.name().equals(name)) {
        return t;
      }
    }
    throw new IllegalArgumentException("no tensor named '" + name + "' in " + this);
  }

  @Override
  public String toString() {
    return "ParamLayout" + tensors;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ParamLayout p && p.tensors.equals(tensors);
  }

  @Override
  public int hashCode() {
    return tensors.hashCode();
  }

  /** Appends tensors back to back. Not thread-safe. */
  public static final class Builder {
    private final List<TensorSpec> tensors = new ArrayList<>();
    private final Set<String> names = new HashSet<>();
    private int offset;

    public Builder add(String name, int... shape) {
      if (!names.add(name)) {
        throw new IllegalArgumentException("duplicate tensor name '" + name + "'");
      }
      TensorSpec t = new TensorSpec(name, shape, offset);
      tensors.add(t);
      offset = t.end();
      return this;
    }

    public ParamLayout build() {
      return new ParamLayout(tensors);
    }
  }
}
