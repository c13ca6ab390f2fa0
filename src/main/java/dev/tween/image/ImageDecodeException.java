package dev.tween.image;

/** Image bytes that cannot be decoded; the message is shown to the user as the rule that failed. */
public class ImageDecodeException extends Exception {
  public ImageDecodeException(String message) {
    super(message);
  }
}
