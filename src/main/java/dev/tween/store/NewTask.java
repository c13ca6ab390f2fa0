package dev.tween.store;

import dev.tween.task.TaskSpec;
import java.util.Optional;

/**
 * A task about to be inserted in state QUEUED.
 *
 * @param idempotencyKey a key reserved with {@link IdempotencyKeys#reserve}, bound to this task in
 *     the same transaction that inserts it
 */
public record NewTask(String id, String tenant, TaskSpec spec, Optional<String> idempotencyKey) {
  public NewTask(String id, String tenant, TaskSpec spec) {
    this(id, tenant, spec, Optional.empty());
  }
}
