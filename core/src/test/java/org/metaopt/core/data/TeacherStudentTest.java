package org.metaopt.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.metaopt.core.UserError;

class TeacherStudentTest {

  private static TeacherStudent spec(long seed) {
    return new TeacherStudent(20, 10, 32, new SplitSizes(5000, 500, 1000), seed);
  }

  @Test
  void labelsUseEveryClassReasonably() {
    for (long seed = 0; seed < 5; seed++) {
      int[] counts = new int[10];
      for (int label : spec(seed).generate().train().labels()) {
        counts[label]++;
      }
      for (int c = 0; c < 10; c++) {
        assertTrue(counts[c] >= 100, "seed " + seed + " class " + c + " has " + counts[c] + " of 5000: "
            + Arrays.toString(counts));
      }
    }
  }

  @Test
  void sameSeedGivesIdenticalSplits() {
    DataSplits a = spec(3).generate();
    DataSplits b = spec(3).generate();
    assertArrayEquals(a.train().features(), b.train().features());
    assertArrayEquals(a.train().labels(), b.train().labels());
    assertArrayEquals(a.test().labels(), b.test().labels());
  }

  @Test
  void differentSeedsGiveDifferentData() {
    assertFalse(Arrays.equals(spec(3).generate().train().labels(), spec(4).generate().train().labels()));
  }

  @Test
  void splitsHaveRequestedShapes() {
    DataSplits s = new TeacherStudent(8, 3, 16, new SplitSizes(40, 0, 7), 1L).generate();
    assertEquals(40, s.train().size());
    assertEquals(8, s.train().numFeatures());
    assertEquals(3, s.train().numClasses());
    assertNull(s.validation());
    assertEquals(7, s.test().size());
  }

  @Test
  void testSplitDoesNotDependOnTrainSize() {
    DataSplits small = new TeacherStudent(8, 3, 16, new SplitSizes(40, 5, 7), 1L).generate();
    DataSplits large = new TeacherStudent(8, 3, 16, new SplitSizes(400, 5, 7), 1L).generate();
    assertArrayEquals(small.test().features(), large.test().features());
    assertArrayEquals(small.test().labels(), large.test().labels());
  }

  @Test
  void rejectsDegenerateShapes() {
    assertThrows(UserError.class, () -> new TeacherStudent(0, 3, 16, new SplitSizes(1, 0, 0), 1L));
    assertThrows(UserError.class, () -> new TeacherStudent(4, 1, 16, new SplitSizes(1, 0, 0), 1L));
    assertThrows(UserError.class, () -> new TeacherStudent(4, 3, 0, new SplitSizes(1, 0, 0), 1L));
  }
}
