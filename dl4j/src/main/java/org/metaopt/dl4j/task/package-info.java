/**
 * The {@code family: dl4j} task family: {@link org.metaopt.dl4j.task.Dl4jTaskFamily} (found by core through
 * {@link java.util.ServiceLoader}) turns a spec naming a Deeplearning4j MultiLayerConfiguration JSON and a data set
 * into tasks that producers meta-train on like any other family.
 */
package org.metaopt.dl4j.task;
