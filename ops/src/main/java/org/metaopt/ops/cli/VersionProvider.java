package org.metaopt.ops.cli;

import picocli.CommandLine;

/** Reports the jar's implementation version (or "dev" when run from classes). */
final class VersionProvider implements CommandLine.IVersionProvider {
  @Override
  public String[] getVersion() {
    String v = MetaoptCommand.class.getPackage().getImplementationVersion();
    return new String[] {"metaopt " + (v != null ? v : "dev")};
  }
}
