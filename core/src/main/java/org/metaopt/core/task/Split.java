package org.metaopt.core.task;

/** Which portion of a task's data an evaluation runs on. */
public enum Split {
  TRAIN,
  VALIDATION,
  TEST
}
