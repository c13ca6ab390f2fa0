package dev.tween.fetch;

/**
 * An image field that is neither a usable URL nor decodable inline data. The message names the rule
 * that failed and reads after the field name ("image: " + message).
 */
public class ImageSourceException extends Exception {
  public ImageSourceException(String message) {
    super(message);
  }
}
