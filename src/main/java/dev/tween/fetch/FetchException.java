package dev.tween.fetch;

/** A URL that could not be fetched; the message is shown to the user. */
public class FetchException extends Exception {
  private final boolean permanent;

  public FetchException(String message, boolean permanent) {
    super(message);
    this.permanent = permanent;
  }

  public FetchException(String message, boolean permanent, Throwable cause) {
    super(message, cause);
    this.permanent = permanent;
  }

  /**
   * True when retrying cannot help (refused address, 4xx, too large); false for timeouts, 5xx,
   * resets.
   */
  public boolean permanent() {
    return permanent;
  }
}
