package dev.tween.store;

import dev.tween.task.Task;

/**
 * A worker's hold on one attempt of a task. Every write made under a claim is conditioned on {@code
 * lease_owner = owner AND attempt = attempt}, so a worker whose lease expired can never overwrite a
 * newer attempt.
 */
public record Claim(Task task, String owner, int attempt) {
  public String taskId() {
    return task.id();
  }
}
