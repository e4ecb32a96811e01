/**
 * Flat {@code float[]} loops shared by the optimizee networks: dense products, softmax cross-entropy, 3x3
 * convolutions and 2x2 max-pooling. Every method is a stateless static function over caller-owned buffers
 * (safe from any thread as long as threads do not share output buffers); none allocates.
 *
 * <p>Loops are written so the inner loop is a unit-stride axpy that HotSpot's C2 auto-vectorizes.
 */
package org.metaopt.core.kernel;
