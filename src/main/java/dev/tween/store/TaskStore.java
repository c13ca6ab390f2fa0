package dev.tween.store;

import dev.tween.task.Task;
import dev.tween.task.TaskStatus;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The durable task table and the queue over it. One implementation, {@link JdbcTaskStore}, for
 * every database; what differs between them is in {@link SqlDialect}.
 */
public interface TaskStore {
  /** The queue in {@code db} (SQLite or PostgreSQL). */
  static TaskStore of(Database db, Clock clock) {
    return new JdbcTaskStore(db, clock);
  }

  void insert(NewTask task);

  /** The tenant's task; another tenant's id is indistinguishable from a missing one. */
  Optional<Task> find(String tenant, String id);

  Optional<Task> findById(String id);

  /** Newest first, strictly older than {@code beforeCursor} when given. */
  List<Task> list(String tenant, Optional<TaskStatus> status, int limit, Optional<Cursor> before);

  /**
   * Takes the oldest ready task of one of {@code generators} for {@code owner}, or empty when there
   * is none. The empty name stands for tasks from before per-model routes (the node's first).
   */
  Optional<Claim> claim(String owner, Duration lease, Collection<String> generators);

  /**
   * Renews the lease and records progress: {@link HeartbeatResult#LOST} when the claim is no longer
   * ours, {@link HeartbeatResult#CANCEL_REQUESTED} when a client asked the task to stop.
   */
  HeartbeatResult heartbeat(Claim claim, Duration lease, int progressPercent, int etaSeconds);

  boolean succeed(Claim claim, int samples, String note, boolean poster);

  /**
   * Ends the attempt: re-queued with backoff while the budget lasts, else FAILED with the reason.
   */
  FailOutcome fail(
      Claim claim, String reason, boolean retryable, int maxFailures, Duration retryBase);

  /** Gives a claimed task back to the queue untouched (this node is shutting down). */
  boolean release(Claim claim);

  /** Marks a claimed task CANCELED after its generator stopped. */
  boolean markCanceled(Claim claim);

  /**
   * Asks for a task to stop: a queued task is canceled at once, a running one when its worker
   * notices.
   */
  CancelOutcome requestCancel(String tenant, String id);

  /**
   * Puts tasks whose lease expired (their worker died) back in the queue, or FAILED once they have
   * crashed {@code maxCrashes} times. Returns how many it touched.
   */
  int recoverExpiredLeases(int maxCrashes);

  Map<TaskStatus, Long> countByStatus();

  enum HeartbeatResult {
    OK,
    LOST,
    CANCEL_REQUESTED
  }

  enum FailOutcome {
    REQUEUED,
    FAILED,
    LOST
  }

  enum CancelOutcome {
    CANCELED,
    CANCEL_REQUESTED,
    ALREADY_FINAL,
    NOT_FOUND
  }

  /** Position in a tenant's newest-first list. */
  record Cursor(long createdAt, String id) {}
}
