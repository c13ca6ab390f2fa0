package dev.tween.store;

import dev.tween.task.TaskStatus;
import java.util.stream.Collectors;

/**
 * The SQL of status writes, derived from {@link TaskStatus}'s transition table: no statement names
 * a status literally, and a move the table forbids fails when the statement is built.
 */
final class StatusSql {
  private StatusSql() {}

  /** The SET side of a move: {@code status = 'TARGET'}. */
  static String to(TaskStatus target) {
    if (TaskStatus.predecessorsOf(target).isEmpty()) {
      throw new IllegalArgumentException("no state may become " + target);
    }
    return "status = " + literal(target);
  }

  /**
   * The WHERE side of a move from any state the table allows: {@code status IN ('A','B')} (with a
   * leading space).
   */
  static String from(TaskStatus target) {
    return " status IN ("
        + TaskStatus.predecessorsOf(target).stream()
            .map(StatusSql::literal)
            .sorted()
            .collect(Collectors.joining(","))
        + ")";
  }

  /** The WHERE side of a move from one state: {@code status = 'CURRENT'}, if the move is legal. */
  static String from(TaskStatus current, TaskStatus target) {
    if (!current.canBecome(target)) {
      throw new IllegalArgumentException(current + " may not become " + target);
    }
    return is(current);
  }

  /** A condition that moves nothing: {@code status = 'S'} (with a leading space). */
  static String is(TaskStatus status) {
    return " status = " + literal(status);
  }

  private static String literal(TaskStatus s) {
    return "'" + s.name() + "'";
  }
}
