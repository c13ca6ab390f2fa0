package dev.tween.worker;

import dev.tween.task.Task;

/**
 * Told when a task reached a final state on this node (SUCCEED, FAILED or CANCELED): metrics,
 * settling its charge, waking the webhook dispatcher. Called on the thread that ended the task:
 * keep it short. (Live events poll the task store; they need no hook.)
 */
@FunctionalInterface
public interface TaskListener {
  void finished(Task task);

  TaskListener NONE = task -> {};
}
