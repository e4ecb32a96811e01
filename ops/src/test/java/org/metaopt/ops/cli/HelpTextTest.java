package org.metaopt.ops.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Every command's {@code --help} renders cleanly: picocli formats descriptions as format strings, so a bare
 * {@code %} ("95% intervals") makes it print a warning to stderr in front of the user's help.
 */
class HelpTextTest {

  @Test
  void everyCommandsHelpRendersWithoutPicocliWarnings() {
    List<CommandLine> all = new ArrayList<>();
    collect(new CommandLine(new MetaoptCommand()), all);
    assertTrue(all.size() > 15, "only " + all.size() + " commands found");
    PrintStream saved = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    List<String> warned = new ArrayList<>();
    try {
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      for (CommandLine c : all) {
        err.reset();
        String usage = c.getUsageMessage();
        assertTrue(usage.contains("Usage:"), c.getCommandName());
        if (err.toString(StandardCharsets.UTF_8).contains("WARN")) {
          warned.add(c.getCommandSpec().qualifiedName() + ": " + err.toString(StandardCharsets.UTF_8).trim());
        }
      }
    } finally {
      System.setErr(saved);
    }
    assertEquals(List.of(), warned);
  }

  private static void collect(CommandLine c, List<CommandLine> out) {
    out.add(c);
    c.getSubcommands().values().stream().distinct().forEach(s -> collect(s, out));
  }
}
