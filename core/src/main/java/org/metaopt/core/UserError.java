package org.metaopt.core;

/**
 * A mistake the user can fix (a bad spec, a missing data file, an out-of-range option): the command line
 * prints {@link #getMessage()} as one line and exits with code 2, never a stack trace.
 *
 * <p>Messages say what is wrong, where (file, field, value) and how to fix it.
 */
public class UserError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public UserError(String message) {
    super(message);
  }

  public UserError(String message, Throwable cause) {
    super(message, cause);
  }
}
