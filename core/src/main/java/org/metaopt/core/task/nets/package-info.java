/**
 * Neural-network optimizees over in-memory classification data: {@link org.metaopt.core.task.nets.MlpTask},
 * {@link org.metaopt.core.task.nets.LogisticTask} and {@link org.metaopt.core.task.nets.ConvTask}, all with exact
 * Hessian-vector products by Pearlmutter's R-operator. Each task instance owns preallocated scratch
 * buffers and is confined to one thread; data sets are shared read-only.
 */
package org.metaopt.core.task.nets;
