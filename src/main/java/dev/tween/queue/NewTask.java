package dev.tween.queue;

import dev.tween.task.TaskSpec;

/** A task about to be inserted in state QUEUED. */
public record NewTask(String id, String tenant, TaskSpec spec) {}
