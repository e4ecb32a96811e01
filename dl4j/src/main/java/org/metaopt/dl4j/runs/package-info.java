/**
 * Recorded runs: {@link org.metaopt.dl4j.runs.MetaoptListener} streams a Deeplearning4j training run (per step
 * loss, gradient statistics, the optimizer version) to Kafka as {@link org.metaopt.stream.wire.RunRecord} chunks
 * through a {@link org.metaopt.dl4j.runs.RunSink}.
 */
package org.metaopt.dl4j.runs;
