package dev.tween.generate;

/**
 * A generation attempt did not produce a result; {@link #getMessage()} is the reason shown to the
 * user. Exactly one of three kinds, so a caller's {@code switch} over them is exhaustive.
 */
public abstract sealed class GenerationException extends Exception {

  private GenerationException(String reason, Throwable cause) {
    super(reason, cause);
  }

  /** A failure another attempt cannot fix (bad input, upstream 4xx, safety filter). */
  public static final class Permanent extends GenerationException {
    private Permanent(String reason, Throwable cause) {
      super(reason, cause);
    }
  }

  /** A failure that may pass (a URL input that did not answer, storage that failed, disk full). */
  public static final class Transient extends GenerationException {
    private Transient(String reason, Throwable cause) {
      super(reason, cause);
    }
  }

  /** The generator stopped because {@link GenerationJob#canceled()} said so. */
  public static final class Canceled extends GenerationException {
    private Canceled() {
      super("canceled", null);
    }
  }

  public static GenerationException permanent(String reason) {
    return new Permanent(reason, null);
  }

  public static GenerationException permanent(String reason, Throwable cause) {
    return new Permanent(reason, cause);
  }

  public static GenerationException transientFailure(String reason, Throwable cause) {
    return new Transient(reason, cause);
  }

  public static GenerationException canceled() {
    return new Canceled();
  }

  /** Whether another attempt may succeed. */
  public boolean retryable() {
    return this instanceof Transient;
  }
}
