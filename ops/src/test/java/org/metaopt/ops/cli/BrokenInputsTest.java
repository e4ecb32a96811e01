package org.metaopt.ops.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Deliberately broken inputs, one per row: each must end with exit code 2 and exactly one line on stderr that
 * starts with {@code metaopt: }, says what is wrong and how to fix it (the expected fragment), and shows no stack
 * trace or exception class name. Runs the command line in-process; none of them needs a running broker.
 */
@Timeout(120)
class BrokenInputsTest {
  private static final Pattern EXCEPTION_NAME = Pattern.compile("\\b[A-Za-z.]*(Exception|Error)\\b");
  @TempDir static Path dir;
  private static ServerSocket busy;

  @BeforeAll
  static void writeInputs() throws IOException {
    Files.writeString(dir.resolve("bad-yaml.yaml"), "name: q\nfamily: quadratic\ndim: [20\nsteps: 10\n");
    Files.writeString(dir.resolve("unknown-key.yaml"), "name: q\nfamily: quadratic\ndim: 20\nstepz: 10\n");
    Files.writeString(dir.resolve("ok.yaml"), "name: q\nfamily: quadratic\ndim: 4\nsteps: 10\n");
    Files.writeString(dir.resolve("corrupt-version.json"), "{\"version\": 3, \"theta\": [1, 2");
    Files.writeString(dir.resolve("not-a-record-file.rec"), "hello, I am not a record file\n");
    Files.createDirectories(dir.resolve("empty-data-dir"));
    Files.writeString(dir.resolve("tls.properties"), "ssl.keystore.location=/nowhere/ks.p12\n");
    busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
  }

  @AfterAll
  static void release() throws IOException {
    busy.close();
  }

  static Stream<Arguments> brokenInputs() {
    return Stream.of(
        row("bad YAML", "bad-yaml.yaml line 4", d -> List.of("optimize", "--task", d + "/bad-yaml.yaml",
            "--optimizer", "adam", "--lr", "0.01")),
        row("unknown key in a task spec", "stepz: unknown field; allowed fields are", d -> List.of("optimize",
            "--task", d + "/unknown-key.yaml", "--optimizer", "adam", "--lr", "0.01")),
        row("negative learning rate", "must be finite and > 0, got -0.1", d -> List.of("optimize", "--task",
            d + "/ok.yaml", "--optimizer", "adam", "--lr", "-0.1")),
        row("unknown optimizer name", "adamm", d -> List.of("optimize", "--task", d + "/ok.yaml", "--optimizer",
            "adamm", "--lr", "0.01")),
        row("missing data set", "apt-get install -y dataset-fashion-mnist", d -> List.of("optimize", "--task",
            OptimizeCommandTest.example("fashion-mlp.yaml").toString(), "--optimizer", "adam", "--lr", "0.001",
            "--data-dir", d + "/empty-data-dir")),
        row("unreachable broker", "start one with './metaopt broker'", d -> List.of("producer", "--config",
            OptimizeCommandTest.example("meta-mlp-lopt.yaml").toString(), "--bootstrap-servers", "127.0.0.1:1",
            "--log-dir", d + "/logs", "--no-metrics")),
        row("corrupt version file", "corrupt-version.json is corrupt", d -> List.of("optimize", "--task",
            d + "/ok.yaml", "--optimizer", d + "/corrupt-version.json")),
        row("a record file that is not one", "is not a metaopt record file", d -> List.of("import", "--file",
            d + "/not-a-record-file.rec", "--bootstrap-servers", "127.0.0.1:1", "--log-dir", d + "/logs")),
        row("bad --from position", "--from yesterday: give an offset", d -> List.of("export", "--from",
            "yesterday", "--out", d + "/x.rec", "--bootstrap-servers", "127.0.0.1:1", "--log-dir", d + "/logs")),
        row("broker port in use", "choose another with --port", d -> List.of("broker", "--port",
            String.valueOf(busy.getLocalPort()), "--data-dir", d + "/broker")),
        row("metrics port in use", "pass another --metrics-port", d -> List.of("demo", "--minutes", "1",
            "--metrics-port", String.valueOf(busy.getLocalPort()), "--out", d + "/demo")),
        row("bad --windows value", "--windows sometimes: use recorded or count", d -> List.of("replay",
            "--config", OptimizeCommandTest.example("meta-mlp-lopt.yaml").toString(), "--windows", "sometimes",
            "--out", d + "/replay", "--log-dir", d + "/logs")),
        row("negative step count", "--steps -5 must be >= 1", d -> List.of("optimize", "--task", d + "/ok.yaml",
            "--optimizer", "adam", "--lr", "0.01", "--steps", "-5")),
        row("a baseline given to evaluate", "is a baseline; evaluate scores a learned optimizer's version file",
            d -> List.of("evaluate", "--optimizer", "adam", "--suite", d + "/ok.yaml", "--seeds", "1", "--out",
                d + "/eval")),
        row("a missing meta-training config", "file not found: ", d -> List.of("train", "--config",
            d + "/no-such-config.yaml", "--out", d + "/train", "--meta-steps", "1")),
        row("TLS without --secure", "TLS is offered with --secure DIR", d -> List.of("broker", "--kafka-config",
            d + "/tls.properties", "--data-dir", d + "/broker-tls")),
        row("a --secure folder that is a file", "cannot create the folder for the client files", d -> List.of(
            "broker", "--secure", d + "/ok.yaml/clients", "--data-dir", d + "/broker-secure")),
        row("a node outside the cluster", "--node 4 must be in 1..3", d -> List.of("broker", "--cluster", "3",
            "--node", "4", "--port", "19092", "--data-dir", d + "/cluster")),
        row("a zero follower timeout", "--follower-timeout 0 must be >= 1 second", d -> List.of("producer",
            "--config", OptimizeCommandTest.example("meta-mlp-lopt.yaml").toString(), "--follower-timeout", "0",
            "--log-dir", d + "/logs", "--no-metrics")));
  }

  private static Arguments row(String what, String expected, Function<String, List<String>> args) {
    return Arguments.of(what, expected, args);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("brokenInputs")
  void givesOneActionableLineAndExitCode2(String what, String expected, Function<String, List<String>> args) {
    CliRun r = CliRun.of(args.apply(dir.toString()).toArray(String[]::new));
    String err = r.err().strip();
    assertEquals(2, r.exitCode(), what + ": exit code; stderr:\n" + r.err());
    List<String> lines = err.lines().filter(l -> !l.isBlank()).toList();
    assertEquals(1, lines.size(), what + ": expected one line on stderr, got:\n" + r.err());
    assertTrue(lines.get(0).startsWith("metaopt: "), what + ": " + lines.get(0));
    assertTrue(lines.get(0).contains(expected), what + ": '" + lines.get(0) + "' should contain '" + expected + "'");
    assertFalse(r.err().contains("\tat ") || r.out().contains("\tat "), what + ": stack trace:\n" + r.err());
    assertFalse(EXCEPTION_NAME.matcher(r.err()).find(), what + ": exception class name in '" + err + "'");
  }
}
