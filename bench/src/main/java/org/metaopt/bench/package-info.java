/**
 * JMH benchmarks: metaopt's flat {@code float[]} kernels against ND4J. Run with
 * {@code OMP_NUM_THREADS=1 java -cp "ops/target/metaopt.jar:ops/target/lib/*" org.openjdk.jmh.Main <Bench>}.
 * Timing lives here, never in test assertions.
 */
package org.metaopt.bench;
