package dev.tween.store;

import dev.tween.task.TaskStatus;

/**
 * The SQL of task status writes, derived from {@link TaskStatus}'s transition table (see {@link
 * StateSql}).
 */
public final class StatusSql {
  private static final StateSql<TaskStatus> TASKS =
      new StateSql<>("status", TaskStatus.class, TaskStatus::canBecome);

  private StatusSql() {}

  /** The SET side of a move: {@code status = 'TARGET'}. */
  static String to(TaskStatus target) {
    return TASKS.to(target);
  }

  /** The WHERE side of a move from any state the table allows (with a leading space). */
  static String from(TaskStatus target) {
    return TASKS.from(target);
  }

  /** The WHERE side of a move from one state, if the move is legal (with a leading space). */
  static String from(TaskStatus current, TaskStatus target) {
    return TASKS.from(current, target);
  }

  /** A condition that moves nothing: {@code status = 'S'} (with a leading space). */
  static String is(TaskStatus status) {
    return TASKS.is(status);
  }

  /**
   * For a query that joins {@code tasks} as {@code alias}: the task has ended ({@code alias.status
   * IN (…)}, with a leading space).
   */
  public static String ended(String alias) {
    return TASKS.of(alias).isFinal();
  }

  /** The same for tasks still queued or running. */
  static String open(String alias) {
    return TASKS.of(alias).isOpen();
  }
}
