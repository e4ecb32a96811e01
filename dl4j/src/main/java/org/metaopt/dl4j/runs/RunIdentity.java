package org.metaopt.dl4j.runs;

import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.metaopt.dl4j.LearnedUpdater;
import org.nd4j.linalg.learning.config.IUpdater;

/**
 * What a recorded run trained and with which optimizer, read once from the model. Immutable.
 *
 * @param model "MultiLayerNetwork 784-128-10" for a stack of feed-forward layers, else the model's class and layer
 *     count (or the name the user gave)
 * @param numParams the parameter count
 * @param optimizer the LearnedUpdater's architecture, or the DL4J updater's class name ("Adam")
 * @param version the optimizer version, -1 for a DL4J updater
 * @param thetaSha256 the version's θ hash, "" for a DL4J updater
 */
record RunIdentity(String model, long numParams, String optimizer, long version, String thetaSha256) {

  static RunIdentity of(Model model, String name) {
    IUpdater updater = null;
    String derived = model.getClass().getSimpleName();
    if (model instanceof MultiLayerNetwork net) {
      List<String> sizes = new ArrayList<>();
      boolean feedForward = true;
      for (int i = 0; i < net.getnLayers(); i++) {
        Layer conf = net.getLayerWiseConfigurations().getConf(i).getLayer();
        if (updater == null && conf instanceof BaseLayer b && net.getLayer(i).numParams() > 0) {
          updater = b.getIUpdater();
        }
        if (conf instanceof FeedForwardLayer f) {
          if (sizes.isEmpty()) {
            sizes.add(Long.toString(f.getNIn()));
          }
          sizes.add(Long.toString(f.getNOut()));
        } else {
          feedForward = false;
        }
      }
      derived += feedForward ? " " + String.join("-", sizes) : " (" + net.getnLayers() + " layers)";
    }
    String optimizer = updater == null ? "none" : updater.getClass().getSimpleName();
    long version = -1;
    String sha = "";
    if (updater instanceof LearnedUpdater l) {
      optimizer = l.architecture();
      version = l.version();
      sha = l.thetaSha256();
    }
    return new RunIdentity(name != null ? name : derived, model.numParams(), optimizer, version, sha);
  }
}
