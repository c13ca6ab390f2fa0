package dev.tween.store;

/**
 * The task database failed (unreachable, disk full, corrupt); callers answer 503/500 and retry
 * later.
 */
public class StoreException extends RuntimeException {
  public StoreException(String message, Throwable cause) {
    super(message + ": " + cause.getMessage(), cause);
  }
}
