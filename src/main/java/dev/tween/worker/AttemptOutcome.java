package dev.tween.worker;

/**
 * How one attempt of a task ended. {@link TaskRun} decides the outcome first, then makes the one
 * write (or none) that the outcome calls for.
 */
sealed interface AttemptOutcome {

  /** Every sample is stored: SUCCEED. */
  record Succeeded(int samples, String note, boolean poster) implements AttemptOutcome {}

  /** The attempt failed: retried with backoff when {@code retryable}, else FAILED. */
  record Failed(String reason, boolean retryable, Exception cause) implements AttemptOutcome {}

  /** The client asked to cancel: CANCELED. */
  record Canceled() implements AttemptOutcome {}

  /** Given back to the queue uncounted (this node stops, or a dependency went away mid-write). */
  record Released(String why) implements AttemptOutcome {}

  /** Nothing is written: another attempt owns the task, or the node stopped during an outage. */
  record Abandoned(String why) implements AttemptOutcome {}
}
