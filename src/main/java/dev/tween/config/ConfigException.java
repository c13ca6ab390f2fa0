package dev.tween.config;

/**
 * A setting has a value that cannot be used; the message names the setting, its source and the
 * rule.
 */
public class ConfigException extends RuntimeException {
  public ConfigException(String message) {
    super(message);
  }
}
