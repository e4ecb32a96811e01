package org.metaopt.ops.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** An append-only JSON Lines file (metrics.jsonl, evaluations.jsonl): one compact object per line, flushed each. */
final class JsonLinesFile implements Closeable {
  private static final ObjectMapper JSONL = JsonMapper.builder().build();

  private final BufferedWriter writer;

  JsonLinesFile(Path file) throws IOException {
    this.writer = Files.newBufferedWriter(file);
  }

  /** Writes {@code value} as one line; an I/O error is rethrown unchecked (this runs in the services' listeners). */
  void append(Object value) {
    try {
      writer.write(JSONL.writeValueAsString(value));
      writer.newLine();
      writer.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() throws IOException {
    writer.close();
  }
}
