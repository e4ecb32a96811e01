package org.metaopt.ops;

import org.metaopt.ops.cli.MetaoptCommand;

/** The {@code ./metaopt} entry point: parses the command line and exits with the command's code. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(MetaoptCommand.run(args));
  }
}
