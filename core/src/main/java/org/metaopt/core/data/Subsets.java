package org.metaopt.core.data;

import java.util.SplittableRandom;

/** Seeded random subsets of example indices. Stateless; thread-safe. */
public final class Subsets {

  private Subsets() {
  }

  /**
   * {@code k} distinct indices from {@code [0, n)} in random order, a deterministic function of
   * {@code (n, k, seed)} (partial Fisher–Yates shuffle). A prefix of the result is itself a random subset,
   * so splitting one sample gives disjoint subsets.
   */
  public static int[] sample(int n, int k, long seed) {
    if (n < 0 || k < 0 || k > n) {
      throw new IllegalArgumentException("cannot sample k=" + k + " distinct indices from n=" + n
          + "; need 0 <= k <= n");
    }
    int[] perm = new int[n];
    for (int i = 0; i < n; i++) {
      perm[i] = i;
    }
    SplittableRandom rng = new SplittableRandom(seed);
    for (int i = 0; i < k; i++) {
      int j = i + rng.nextInt(n - i);
      int t = perm[i];
      perm[i] = perm[j];
      perm[j] = t;
    }
    int[] out = new int[k];
    System.arraycopy(perm, 0, out, 0, k);
    return out;
  }
}
