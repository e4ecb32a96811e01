package org.metaopt.ops.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.FileAppender;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.LoggerFactory;

/**
 * Where the logs of a command that runs Kafka go: Kafka's clients and broker log through slf4j at WARN into
 * {@code file}, so the terminal shows metaopt's own progress, while metaopt's library warnings ({@code org.metaopt.*},
 * e.g. a skipped unreadable record) still reach stderr as one line. Configures the one backend (logback); call before
 * the first Kafka class logs. Not thread-safe: call from the command's main thread.
 */
final class KafkaLogging {
  private KafkaLogging() {}

  static void toFile(Path file) {
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext ctx)) {
      return; // another backend (e.g. in an embedding application): leave its configuration alone
    }
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
    } catch (java.io.IOException e) {
      return; // keep logging to stderr
    }
    FileAppender<ILoggingEvent> toFile = new FileAppender<>();
    toFile.setContext(ctx);
    toFile.setName("KAFKA_FILE");
    toFile.setFile(file.toAbsolutePath().toString());
    toFile.setAppend(true);
    toFile.setEncoder(encoder(ctx, "%d{HH:mm:ss.SSS} [%thread] %level %logger - %msg%n"));
    toFile.start();
    ConsoleAppender<ILoggingEvent> toStderr = new ConsoleAppender<>();
    toStderr.setContext(ctx);
    toStderr.setName("METAOPT_STDERR");
    toStderr.setTarget("System.err");
    toStderr.setEncoder(encoder(ctx, "%msg%n"));
    toStderr.start();
    Logger root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.detachAndStopAllAppenders();
    root.setLevel(Level.WARN);
    root.addAppender(toFile);
    Logger ours = ctx.getLogger("org.metaopt");
    ours.detachAndStopAllAppenders();
    ours.setAdditive(false);
    ours.setLevel(Level.WARN);
    ours.addAppender(toStderr);
  }

  private static PatternLayoutEncoder encoder(LoggerContext ctx, String pattern) {
    PatternLayoutEncoder e = new PatternLayoutEncoder();
    e.setContext(ctx);
    e.setPattern(pattern);
    e.start();
    return e;
  }
}
