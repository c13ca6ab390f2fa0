package dev.tween.generate;

/** A generation attempt failed; {@link #getMessage()} is the reason shown to the user. */
public class GenerationException extends Exception {
  private final boolean retryable;
  private final boolean canceled;

  private GenerationException(String reason, Throwable cause, boolean retryable, boolean canceled) {
    super(reason, cause);
    this.retryable = retryable;
    this.canceled = canceled;
  }

  /** A failure another attempt cannot fix (bad input, upstream 4xx, safety filter). */
  public static GenerationException permanent(String reason) {
    return new GenerationException(reason, null, false, false);
  }

  public static GenerationException permanent(String reason, Throwable cause) {
    return new GenerationException(reason, cause, false, false);
  }

  /** A failure that may pass (timeout, upstream 5xx/429, disk full). */
  public static GenerationException transientFailure(String reason, Throwable cause) {
    return new GenerationException(reason, cause, true, false);
  }

  public static GenerationException canceled() {
    return new GenerationException("canceled", null, false, true);
  }

  public boolean retryable() {
    return retryable;
  }

  public boolean isCancellation() {
    return canceled;
  }
}
