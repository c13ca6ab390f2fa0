package dev.tween.generate;

/** A request this generator cannot serve; answered as HTTP 400 naming {@link #field()}. */
public class UnsupportedRequestException extends Exception {
  private final String field;

  public UnsupportedRequestException(String field, String message) {
    super(message);
    this.field = field;
  }

  public String field() {
    return field;
  }
}
