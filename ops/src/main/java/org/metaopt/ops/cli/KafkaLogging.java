package org.metaopt.ops.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Kafka's clients and broker log through slf4j; metaopt binds slf4j-simple and sends it to a file at WARN so that
 * the terminal shows metaopt's own progress. Must run before the first Kafka class logs.
 */
final class KafkaLogging {
  private KafkaLogging() {}

  static void toFile(Path file) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
    } catch (java.io.IOException e) {
      return;
    }
    if (System.getProperty("org.slf4j.simpleLogger.logFile") == null) {
      System.setProperty("org.slf4j.simpleLogger.logFile", file.toAbsolutePath().toString());
    }
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel",
        System.getProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn"));
    System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
  }
}
