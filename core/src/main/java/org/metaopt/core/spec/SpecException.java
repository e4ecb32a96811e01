package org.metaopt.core.spec;

import org.metaopt.core.UserError;

/** A task spec that cannot be used: the message names the file, the field, the value and what is allowed. */
public final class SpecException extends UserError {
  private static final long serialVersionUID = 1L;

  public SpecException(String message) {
    super(message);
  }
}
