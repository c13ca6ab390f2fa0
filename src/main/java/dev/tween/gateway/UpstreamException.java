package dev.tween.gateway;

import java.time.Duration;

/**
 * How a call to an upstream failed, which decides what the gateway does next. Exactly one of five
 * kinds, so a {@code switch} over them is exhaustive.
 */
public abstract sealed class UpstreamException extends Exception {

  private UpstreamException(String message, Throwable cause) {
    super(message, cause);
  }

  /**
   * Upstream refused for its quota (HTTP 429, {@code RESOURCE_EXHAUSTED}): nothing was started. The
   * deployment cools down for {@code retryAfter}; the task costs no attempt.
   */
  public static final class Throttled extends UpstreamException {
    private final Duration retryAfter;

    public Throttled(String message, Duration retryAfter, Throwable cause) {
      super(message, cause);
      this.retryAfter = retryAfter;
    }

    public Duration retryAfter() {
      return retryAfter;
    }
  }

  /**
   * Upstream did not do the work (5xx, refused or timed-out connection before the request was
   * sent): the deployment's circuit opens; the task costs no attempt.
   */
  public static final class Unavailable extends UpstreamException {
    public Unavailable(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /**
   * The request or the operation cannot succeed (4xx, bad credentials, safety filter, the operation
   * failed upstream); the message is the task's reason.
   */
  public static final class Rejected extends UpstreamException {
    public Rejected(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /**
   * Upstream no longer knows an operation it had accepted (a ComfyUI server restarted and dropped
   * its in-memory queue and history): nothing will come of it and nothing was charged. The gateway
   * creates it again, once; lost a second time, the task fails with the message.
   */
  public static final class Lost extends UpstreamException {
    public Lost(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /**
   * A create was sent but no answer came back: upstream may have started (and will charge for) an
   * operation tween cannot name. Never retried by creating again.
   */
  public static final class Ambiguous extends UpstreamException {
    public Ambiguous(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
