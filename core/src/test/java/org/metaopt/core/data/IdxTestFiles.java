package org.metaopt.core.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** Writes small IDX files for tests. */
final class IdxTestFiles {

  private IdxTestFiles() {
  }

  /** Header {@code magic, dims...} followed by {@code body}. */
  static byte[] idx(int magic, int[] dims, byte[] body) {
    ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + body.length);
    b.putInt(magic);
    for (int d : dims) {
      b.putInt(d);
    }
    b.put(body);
    return b.array();
  }

  static byte[] images(int count, int rows, int cols, byte[] pixels) {
    return idx(IdxFile.IMAGES_MAGIC, new int[] {count, rows, cols}, pixels);
  }

  static byte[] labels(byte[] labels) {
    return idx(IdxFile.LABELS_MAGIC, new int[] {labels.length}, labels);
  }

  static byte[] gzip(byte[] data) throws IOException {
    ByteArrayOutputStream bos = new ByteArrayOutputStream();
    try (OutputStream out = new GZIPOutputStream(bos)) {
      out.write(data);
    }
    return bos.toByteArray();
  }

  static Path write(Path file, byte[] data) throws IOException {
    Files.write(file, data);
    return file;
  }

  /** Pixels {@code (seed + i) mod 256}. */
  static byte[] ramp(int n, int seed) {
    byte[] p = new byte[n];
    for (int i = 0; i < n; i++) {
      p[i] = (byte) (seed + i);
    }
    return p;
  }

  /** Writes the four gzipped files of a tiny image set with labels {@code i mod 10}. */
  static void writeImageSet(Path dir, int nTrain, int nTest, int size) throws IOException {
    write(dir.resolve(ImageDataset.TRAIN_IMAGES + ".gz"),
        gzip(images(nTrain, size, size, ramp(nTrain * size * size, 0))));
    write(dir.resolve(ImageDataset.TRAIN_LABELS + ".gz"), gzip(labels(cycle(nTrain))));
    write(dir.resolve(ImageDataset.TEST_IMAGES + ".gz"),
        gzip(images(nTest, size, size, ramp(nTest * size * size, 7))));
    write(dir.resolve(ImageDataset.TEST_LABELS + ".gz"), gzip(labels(cycle(nTest))));
  }

  static byte[] cycle(int n) {
    byte[] l = new byte[n];
    for (int i = 0; i < n; i++) {
      l[i] = (byte) (i % 10);
    }
    return l;
  }
}
