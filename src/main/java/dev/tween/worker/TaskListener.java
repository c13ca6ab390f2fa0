package dev.tween.worker;

import dev.tween.task.Task;

/** Told about task changes on this node (live events, webhooks, metrics). Must not block. */
public interface TaskListener {
  default void changed(String taskId) {}

  default void finished(Task task) {}

  TaskListener NONE = new TaskListener() {};
}
