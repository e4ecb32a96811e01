package org.metaopt.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SubsetsTest {

  @Test
  void sampleHoldsDistinctIndicesInRange() {
    int[] s = Subsets.sample(1000, 300, 42L);
    assertEquals(300, s.length);
    Set<Integer> seen = new HashSet<>();
    for (int i : s) {
      assertTrue(i >= 0 && i < 1000, "index " + i);
      assertTrue(seen.add(i), "duplicate " + i);
    }
  }

  @Test
  void sameSeedGivesSameSample() {
    assertArrayEquals(Subsets.sample(60000, 500, 7L), Subsets.sample(60000, 500, 7L));
  }

  @Test
  void differentSeedsGiveDifferentSamples() {
    assertFalse(Arrays.equals(Subsets.sample(60000, 500, 7L), Subsets.sample(60000, 500, 8L)));
  }

  @Test
  void fullSampleIsAPermutation() {
    int[] s = Subsets.sample(50, 50, 1L);
    int[] sorted = s.clone();
    Arrays.sort(sorted);
    for (int i = 0; i < 50; i++) {
      assertEquals(i, sorted[i]);
    }
  }

  @Test
  void rejectsMoreIndicesThanExist() {
    assertThrows(IllegalArgumentException.class, () -> Subsets.sample(5, 6, 1L));
  }
}
