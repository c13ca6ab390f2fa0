package dev.tween.storage;

import java.io.IOException;

/**
 * The blob store did not answer (connection refused, timeout, 5xx): an outage, not a bad request.
 */
public class StorageUnreachableException extends IOException {
  public StorageUnreachableException(String message, Throwable cause) {
    super(message, cause);
  }
}
