/**
 * metaopt's learned optimizers in Deeplearning4j: {@link org.metaopt.dl4j.LearnedUpdater} (an
 * {@link org.nd4j.linalg.learning.config.IUpdater} loading any optimizer version file, attached to a network after
 * {@code init()}), the layout bridge between DL4J's flat parameter views and metaopt's tensors
 * ({@link org.metaopt.dl4j.NetworkLayout}, {@link org.metaopt.dl4j.NdArrays}); recorded runs in {@code runs}, the
 * {@code family: dl4j} tasks in {@code task}, and the Fashion-MNIST comparison behind {@code metaopt dl4j-example} in
 * {@code example}.
 */
package org.metaopt.dl4j;
