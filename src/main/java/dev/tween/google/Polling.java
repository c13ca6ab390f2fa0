package dev.tween.google;

import java.time.Duration;

/**
 * How tween paces one Google model from this node.
 *
 * @param first first wait between polls; grows 1.5× per poll up to {@code max}
 * @param timeout give up on a job after this long (FAILED with the reason)
 * @param concurrency jobs in flight towards Google from this node; more tasks wait their turn
 * @param retries attempts for a call answered 429/5xx before the task attempt fails (retryable)
 * @param typical typical generation time, only used to estimate progress and eta
 */
public record Polling(
    Duration first,
    Duration max,
    Duration timeout,
    int concurrency,
    int retries,
    Duration typical) {
  public Polling {
    if (concurrency < 1) throw new IllegalArgumentException("concurrency must be at least 1");
  }
}
