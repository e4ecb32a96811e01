package org.metaopt.core.lopt;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The state arrays of one learned-optimizer run (moments, hidden states, factored statistics) and its step counter,
 * copied as one flat {@code float[]} to and from an external buffer: what {@link LearnedUpdate#saveState} and
 * {@link LearnedUpdate#loadState} write and read (a Deeplearning4j updater keeps it in the network's updater view so
 * that a saved model resumes exactly).
 *
 * <p>Layout: the step counter as two floats ({@code t / 2^24}, {@code t mod 2^24}, both exact in float), then every
 * array back to back in the order given. The arrays are referenced, never copied, and must not be replaced by their
 * owner. Not thread-safe: owned by one optimizer.
 */
public final class StateArrays {
  /** Floats the step counter takes. */
  public static final int COUNTER = 2;
  private static final long HALF = 1L << 24;

  private final float[][] arrays;
  private final int size;

  private StateArrays(List<float[]> arrays) {
    this.arrays = arrays.toArray(new float[0][]);
    long n = COUNTER;
    for (float[] a : this.arrays) {
      n += a.length;
    }
    if (n > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("optimizer state of " + n + " floats does not fit one Java array");
    }
    this.size = (int) n;
  }

  /** Collects arrays and arrays of arrays (null entries of {@code parts} are skipped: optional state). */
  public static StateArrays of(Object... parts) {
    List<float[]> out = new ArrayList<>();
    for (Object p : parts) {
      collect(p, out);
    }
    return new StateArrays(out);
  }

  private static void collect(Object p, List<float[]> out) {
    if (p == null) {
      return;
    }
    if (p instanceof float[] a) {
      out.add(a);
    } else if (p instanceof Object[] nested) {
      for (Object o : nested) {
        collect(o, out);
      }
    } else {
      throw new IllegalArgumentException("state parts are float arrays or arrays of them, got " + p.getClass());
    }
  }

  /** Floats {@link #save} writes: {@link #COUNTER} plus every array's length. */
  public int size() {
    return size;
  }

  /** Writes the step counter {@code t} and every array into {@code dst[offset, offset + size())}. */
  public void save(long t, float[] dst, int offset) {
    check(dst, offset);
    if (t < 0 || t >= HALF * HALF) {
      throw new IllegalArgumentException("step counter " + t + " outside [0, 2^48)");
    }
    dst[offset] = t / HALF;
    dst[offset + 1] = t % HALF;
    int o = offset + COUNTER;
    for (float[] a : arrays) {
      System.arraycopy(a, 0, dst, o, a.length);
      o += a.length;
    }
  }

  /** Reads every array back from {@code src[offset, offset + size())} and returns the step counter. */
  public long load(float[] src, int offset) {
    check(src, offset);
    float hi = src[offset];
    float lo = src[offset + 1];
    if (!(hi >= 0 && hi < HALF && lo >= 0 && lo < HALF) || hi != Math.rint(hi) || lo != Math.rint(lo)) {
      throw new IllegalArgumentException("saved optimizer state is corrupt: step counter floats " + hi + ", " + lo
          + " are not two integers in [0, 2^24)");
    }
    int o = offset + COUNTER;
    for (float[] a : arrays) {
      System.arraycopy(src, o, a, 0, a.length);
      o += a.length;
    }
    return (long) hi * HALF + (long) lo;
  }

  private void check(float[] buffer, int offset) {
    Objects.requireNonNull(buffer, "state buffer");
    if (offset < 0 || offset > buffer.length - size) {
      throw new IllegalArgumentException("state buffer of length " + buffer.length + " cannot hold " + size
          + " floats at offset " + offset);
    }
  }

  @Override
  public String toString() {
    return "StateArrays[" + size + " floats in " + arrays.length + " arrays: "
        + Arrays.toString(Arrays.stream(arrays).mapToInt(a -> a.length).toArray()) + "]";
  }
}
