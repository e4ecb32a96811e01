package org.metaopt.stream.wire;

import org.metaopt.core.UserError;

/**
 * A record file that cannot be read or written: not a record file, truncated, corrupt, of a newer format version,
 * or an I/O failure. The message is one line naming the file and what is wrong; the command line prints it and exits
 * with code 2 (it is a {@link UserError}).
 */
public class RecordFileException extends UserError {
  private static final long serialVersionUID = 1L;

  public RecordFileException(String message) {
    super(message);
  }

  public RecordFileException(String message, Throwable cause) {
    super(message, cause);
  }
}
