/**
 * metaopt's numerical core: data sets, optimizee tasks, baseline optimizers, training loops and tuning.
 * The numeric packages import neither Reactor nor Kafka.
 */
package org.metaopt.core;
