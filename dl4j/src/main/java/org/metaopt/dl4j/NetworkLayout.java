package org.metaopt.dl4j;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Trainable;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.updater.UpdaterBlock;
import org.metaopt.core.tensor.ParamLayout;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A range of a Deeplearning4j network's flat parameter vector (a whole network, or one updater block) seen the way
 * metaopt's optimizers see parameters: a {@link ParamLayout} of named tensors, each row-major, and the index map
 * from that layout into the network's flat order.
 *
 * <p>Names are DL4J's gradient keys ({@code 0_W}, {@code 0_b}: layer index and parameter). A weight keeps its DL4J
 * shape, which follows metaopt's conventions (a dense weight is {@code [in, out]}, a convolution kernel
 * {@code [out, in, kh, kw]}); a bias ({@code [1, n]} in DL4J) is the vector {@code [n]}. DL4J stores a dense weight
 * in column-major ('f') order, so its entries are permuted: {@code map[k]} is the flat index, within the range, of
 * metaopt's element {@code k}. Immutable and thread-safe.
 *
 * @param layout the tensors, back to back
 * @param map metaopt index to range index, or null when the orders agree everywhere (no permutation)
 */
public record NetworkLayout(ParamLayout layout, int[] map) {

  /** The layout of a whole network's parameters (after {@code init()}), in the order of {@code net.params()}. */
  public static NetworkLayout of(MultiLayerNetwork net) {
    Builder b = new Builder();
    for (Layer layer : net.getLayers()) {
      Map<String, INDArray> table = layer.paramTable(false);
      for (Map.Entry<String, INDArray> e : table.entrySet()) {
        b.add(layer, e.getKey(), e.getValue());
      }
    }
    return b.build();
  }

  /** The layout of one updater block's parameters, in the order of its gradient view. */
  public static NetworkLayout of(UpdaterBlock block) {
    Builder b = new Builder();
    for (UpdaterBlock.ParamState ps : block.getLayersAndVariablesInBlock()) {
      Trainable t = ps.getLayer();
      b.add(t, ps.getParamName(), t.paramTable(false).get(ps.getParamName()));
    }
    return b.build();
  }

  /** Number of parameters. */
  public int size() {
    return layout.size();
  }

  /**
   * The compact text form stored in a {@link LearnedUpdater}'s configuration: {@code name:d0xd1,...} per tensor,
   * separated by {@code ;} (e.g. {@code 0_W:784x128;0_b:128}).
   */
  public static String describe(ParamLayout layout) {
    StringBuilder sb = new StringBuilder();
    layout.tensors().forEach(t -> {
      if (sb.length() > 0) {
        sb.append(';');
      }
      sb.append(t.name()).append(':');
      int[] shape = t.shape();
      for (int d = 0; d < shape.length; d++) {
        sb.append(d == 0 ? "" : "x").append(shape[d]);
      }
    });
    return sb.toString();
  }

  /**
   * Parses {@link #describe}'s form.
   *
   * @throws IllegalArgumentException naming the bad entry
   */
  public static ParamLayout parse(String text) {
    ParamLayout.Builder b = ParamLayout.builder();
    for (String entry : text.split(";")) {
      int colon = entry.lastIndexOf(':');
      if (colon <= 0) {
        throw new IllegalArgumentException("bad tensor '" + entry + "' in layout '" + text + "'; expected name:d0xd1");
      }
      String[] dims = entry.substring(colon + 1).split("x");
      int[] shape = new int[dims.length];
      try {
        for (int d = 0; d < dims.length; d++) {
          shape[d] = Integer.parseInt(dims[d]);
        }
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("bad shape in tensor '" + entry + "' of layout '" + text + "'");
      }
      b.add(entry.substring(0, colon), shape);
    }
    return b.build();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NetworkLayout n && n.layout.equals(layout) && Arrays.equals(n.map, map);
  }

  @Override
  public int hashCode() {
    return 31 * layout.hashCode() + Arrays.hashCode(map);
  }

  @Override
  public String toString() {
    return "NetworkLayout[" + describe(layout) + (map == null ? "" : ", permuted") + "]";
  }

  /** Appends parameters in flat order. Not thread-safe. */
  private static final class Builder {
    private final ParamLayout.Builder layout = ParamLayout.builder();
    private final List<int[]> maps = new ArrayList<>();
    private boolean permuted;
    private int offset;

    void add(Trainable owner, String param, INDArray value) {
      if (value == null) {
        throw new IllegalStateException("parameter '" + param + "' is missing from its layer's parameter table");
      }
      String name = (owner instanceof Layer l ? l.getIndex() : owner.getConfig().getLayerName()) + "_" + param;
      long[] dl4jShape = value.shape();
      int n = Math.toIntExact(value.length());
      // a bias, and any other row [1, n] that is not a weight (batch-norm gamma and beta), is a vector
      boolean vector = dl4jShape.length <= 1 || isBias(owner, param)
          || dl4jShape.length == 2 && dl4jShape[0] == 1 && !isWeight(owner, param);
      int[] shape = vector ? new int[] {n} : Arrays.stream(dl4jShape).mapToInt(Math::toIntExact).toArray();
      layout.add(name, shape);
      int[] map = new int[n];
      if (vector) {
        for (int k = 0; k < n; k++) {
          map[k] = offset + k;
        }
      } else {
        long[] stride = value.stride();
        int[] index = new int[shape.length];
        for (int k = 0; k < n; k++) { // row-major walk over the metaopt shape
          long at = 0;
          for (int d = 0; d < shape.length; d++) {
            at += index[d] * stride[d];
          }
          map[k] = offset + (int) at;
          permuted |= map[k] != offset + k;
          for (int d = shape.length - 1; d >= 0 && ++index[d] == shape[d]; d--) {
            index[d] = 0;
          }
        }
      }
      maps.add(map);
      offset += n;
    }

    NetworkLayout build() {
      if (!permuted) {
        return new NetworkLayout(layout.build(), null);
      }
      int[] all = new int[offset];
      int o = 0;
      for (int[] m : maps) {
        System.arraycopy(m, 0, all, o, m.length);
        o += m.length;
      }
      return new NetworkLayout(layout.build(), all);
    }

    private static boolean isBias(Trainable owner, String param) {
      return owner instanceof Layer l && l.conf() != null
          && l.conf().getLayer().initializer().isBiasParam(l.conf().getLayer(), param);
    }

    private static boolean isWeight(Trainable owner, String param) {
      return owner instanceof Layer l && l.conf() != null
          && l.conf().getLayer().initializer().isWeightParam(l.conf().getLayer(), param);
    }
  }
}
