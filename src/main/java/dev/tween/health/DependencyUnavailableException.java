package dev.tween.health;

import java.time.Duration;

/**
 * A dependency (the database, the bucket) cannot be reached. Not a failure of the request or of the
 * task: the API answers 503 with {@code Retry-After}, workers wait for it and try again. Carries no
 * stack trace: while a dependency is down it is thrown on every request.
 */
public final class DependencyUnavailableException extends RuntimeException {
  private final String dependency;
  private final Duration retryAfter;

  public DependencyUnavailableException(
      String dependency, Duration retryAfter, String message, Throwable cause) {
    super(message, cause, false, false);
    this.dependency = dependency;
    this.retryAfter = retryAfter;
  }

  /** {@code database} or {@code storage}. */
  public String dependency() {
    return dependency;
  }

  public Duration retryAfter() {
    return retryAfter;
  }
}
