/**
 * The Fashion-MNIST comparison behind {@code metaopt dl4j-example}: the same DL4J MLP trained with a
 * {@link org.metaopt.dl4j.LearnedUpdater} and with a DL4J updater on the same minibatches.
 */
package org.metaopt.dl4j.example;
