package dev.tween.store;

/**
 * A statement failed for a reason other than an unreachable database (disk full, corrupt, a bug):
 * callers answer 500. Made only by {@link Database#failure}; an unreachable database is a {@link
 * dev.tween.health.DependencyUnavailableException} instead.
 */
public class StoreException extends RuntimeException {
  StoreException(String message, Throwable cause) {
    super(message + ": " + cause.getMessage(), cause);
  }
}
