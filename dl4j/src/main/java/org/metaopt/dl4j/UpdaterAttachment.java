package org.metaopt.dl4j;

import org.deeplearning4j.nn.api.Trainable;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.updater.BaseMultiLayerUpdater;
import org.deeplearning4j.nn.updater.MultiLayerUpdater;
import org.deeplearning4j.nn.updater.UpdaterBlock;
import org.metaopt.core.tensor.ParamLayout;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.IUpdater;

/**
 * {@link LearnedUpdater#attach}: finds the updater blocks that use a LearnedUpdater, records each block's layout in
 * its layers' configurations (then rebuilds the network's updater so the state view is sized for it) and binds each
 * block's parameters to its {@link LearnedGradientUpdater}. Stateless.
 */
final class UpdaterAttachment {
  private UpdaterAttachment() {}

  static int attach(MultiLayerNetwork net) {
    if (net == null) {
      throw new IllegalArgumentException("LearnedUpdater.attach: the network is null");
    }
    if (net.getLayers() == null || net.params() == null) {
      throw new IllegalStateException("LearnedUpdater.attach: the network is not initialized; call net.init() first");
    }
    if (net.params().dataType() != DataType.FLOAT) {
      throw new IllegalStateException("LearnedUpdater.attach: the network's parameters are "
          + net.params().dataType() + "; metaopt's learned optimizers need FLOAT (the default: remove "
          + ".dataType(...) from the configuration or set DataType.FLOAT)");
    }
    boolean rebuilt = false;
    if (recordLayouts(updater(net))) {
      net.setUpdater(new MultiLayerUpdater(net));
      rebuilt = true;
    }
    int attached = 0;
    INDArray flat = net.params().reshape(net.params().length());
    for (UpdaterBlock block : updater(net).getUpdaterBlocks()) {
      LearnedUpdater config = learned(block);
      if (config == null) {
        continue;
      }
      NetworkLayout layout = NetworkLayout.of(block);
      requireSame(config, layout.layout(), rebuilt);
      LearnedGradientUpdater gu = (LearnedGradientUpdater) block.getGradientUpdater();
      gu.bind(flat.get(NDArrayIndex.interval(block.getParamOffsetStart(), block.getParamOffsetEnd())), layout.map());
      attached++;
    }
    if (attached == 0) {
      throw new IllegalStateException("LearnedUpdater.attach: no layer of this network uses a LearnedUpdater; set "
          + ".updater(LearnedUpdater.load(versionFile)) in its configuration");
    }
    return attached;
  }

  private static BaseMultiLayerUpdater<?> updater(MultiLayerNetwork net) {
    return (BaseMultiLayerUpdater<?>) net.getUpdater();
  }

  /** The block's LearnedUpdater configuration, or null when it uses another updater. */
  private static LearnedUpdater learned(UpdaterBlock block) {
    UpdaterBlock.ParamState first = block.getLayersAndVariablesInBlock().get(0);
    IUpdater u = first.getLayer().getConfig().getUpdaterByParam(first.getParamName());
    return u instanceof LearnedUpdater l ? l : null;
  }

  /**
   * Writes each learned block's layout into its layers' configurations where none is recorded yet; true when any
   * was written (the updater must then be rebuilt). A block whose recorded layout differs is an error.
   */
  private static boolean recordLayouts(BaseMultiLayerUpdater<?> updater) {
    boolean changed = false;
    for (UpdaterBlock block : updater.getUpdaterBlocks()) {
      LearnedUpdater config = learned(block);
      if (config == null) {
        continue;
      }
      ParamLayout layout = NetworkLayout.of(block).layout();
      if (config.blockLayout() != null) {
        requireSame(config, layout, false);
        continue;
      }
      LearnedUpdater attached = config.withLayout(layout);
      for (UpdaterBlock.ParamState ps : block.getLayersAndVariablesInBlock()) {
        set(ps.getLayer(), ps.getParamName(), attached);
      }
      changed = true;
    }
    return changed;
  }

  /** Replaces the updater {@code param} of {@code layer} uses (its bias updater when it has its own). */
  private static void set(Trainable layer, String param, LearnedUpdater updater) {
    if (!(layer.getConfig() instanceof BaseLayer conf)) {
      throw new IllegalStateException("LearnedUpdater.attach: layer " + layer.getConfig().getLayerName() + " ("
          + layer.getConfig().getClass().getSimpleName() + ") keeps no updater of its own; LearnedUpdater runs on "
          + "layers with parameters (dense, convolution, output...)");
    }
    if (conf.getBiasUpdater() != null && conf.initializer().isBiasParam(conf, param)) {
      conf.setBiasUpdater(updater);
    } else {
      conf.setIUpdater(updater);
    }
  }

  private static void requireSame(LearnedUpdater config, ParamLayout actual, boolean justRebuilt) {
    ParamLayout recorded = config.blockLayout();
    if (!actual.equals(recorded)) {
      throw new IllegalStateException("LearnedUpdater.attach: layout mismatch: the network's updater block holds "
          + NetworkLayout.describe(actual) + " but its configuration was attached to "
          + NetworkLayout.describe(recorded)
          + (justRebuilt ? " (the layers' updaters were merged differently after attaching)" : "")
          + ". The configuration belongs to another network: build this network from a configuration with a fresh "
          + "LearnedUpdater.load(...) and attach it");
    }
  }
}
