package org.metaopt.core.kernel;

/**
 * Whether the learned optimizers run their explicit-SIMD kernels ({@code jdk.incubator.vector}, the Vector API).
 *
 * <p>On JDK 17 the Vector API is an incubator module: it is there only when the JVM starts with
 * {@code --add-modules jdk.incubator.vector} (which {@code ./metaopt}, the tests and the benchmarks do; the JVM then
 * prints one {@code WARNING: Using incubator modules} line). Without it every kernel falls back to its plain-Java
 * loops, which compute the same numbers bit for bit (the SIMD kernels do the same float operations in the same
 * order; {@code MlpLoptSimdTest} checks it) but slower: C2's auto-vectorizer leaves a loop scalar once its body reads
 * more than about six arrays, so the plain loops make one pass per feature, while a SIMD kernel keeps a chunk of
 * coordinates in registers through all the features and the network.
 *
 * <p>{@code -Dmetaopt.simd=false} turns the SIMD kernels off even when the module is present (for comparisons).
 * Classes that use the Vector API ({@code *Simd}) are loaded only when {@link #ENABLED} is true.
 */
public final class Simd {
  /** The system property that turns the SIMD kernels off when set to {@code false}. */
  public static final String PROPERTY = "metaopt.simd";
  /** True when the Vector API module is present and not turned off by {@link #PROPERTY}. */
  public static final boolean ENABLED = moduleAvailable() && !"false".equalsIgnoreCase(System.getProperty(PROPERTY));

  private Simd() {}

  /** Whether {@code jdk.incubator.vector} is in the boot layer (the JVM was started with it added). */
  public static boolean moduleAvailable() {
    return ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
  }
}
