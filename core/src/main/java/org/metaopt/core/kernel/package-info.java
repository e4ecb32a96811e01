/**
 * Flat {@code float[]} loops shared by the optimizee networks: dense products, softmax cross-entropy, 3x3
 * convolutions and 2x2 max-pooling. Every method is a stateless static function over caller-owned buffers
 * (safe from any thread as long as threads do not share output buffers); none allocates.
 *
 * <p>Loops are written so the inner loop is a unit-stride axpy that HotSpot's C2 auto-vectorizes. The networks'
 * dense products run on a register-blocked Vector API GEMM instead ({@code SimdGemm}, {@code GemmSimd}) when the JVM
 * has the module; {@code Gemm} picks the backend and owns the scratch that GEMM packs into.
 */
package org.metaopt.core.kernel;
