package dev.tween.task;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The life of a task, with every allowed transition written down in one place. Stores update a
 * task's status only with {@code WHERE status IN (every state that may become the target)} (built
 * by {@code store.StatusSql}), so a stale writer can never move a task backwards or out of a final
 * state.
 */
public enum TaskStatus {
  QUEUED("TASK_STATUS_QUEUED"),
  PROCESSING("TASK_STATUS_PROCESSING"),
  SUCCEED("TASK_STATUS_SUCCEED"),
  FAILED("TASK_STATUS_FAILED"),
  CANCELED("TASK_STATUS_CANCELED");

  private static final Map<TaskStatus, Set<TaskStatus>> NEXT =
      Map.of(
          QUEUED, EnumSet.of(PROCESSING, CANCELED, FAILED),
          // PROCESSING -> QUEUED: a retryable failure or an expired lease puts the task back in
          // line.
          PROCESSING, EnumSet.of(SUCCEED, FAILED, CANCELED, QUEUED),
          SUCCEED, EnumSet.noneOf(TaskStatus.class),
          FAILED, EnumSet.noneOf(TaskStatus.class),
          CANCELED, EnumSet.noneOf(TaskStatus.class));

  private final String wire;

  TaskStatus(String wire) {
    this.wire = wire;
  }

  /** The name used on the wire, e.g. {@code TASK_STATUS_QUEUED}. */
  public String wire() {
    return wire;
  }

  public boolean isFinal() {
    return NEXT.get(this).isEmpty();
  }

  public boolean canBecome(TaskStatus next) {
    return NEXT.get(this).contains(next);
  }

  public static java.util.Optional<TaskStatus> fromWire(String wire) {
    for (TaskStatus s : values())
      if (s.wire.equals(wire) || s.name().equalsIgnoreCase(wire)) return java.util.Optional.of(s);
    return java.util.Optional.empty();
  }
}
