package dev.tween.config;

import java.util.Locale;

/**
 * One configuration setting: its name (the CLI flag without dashes), the environment variable
 * derived from it, its default as text, and the sentence the README shows.
 */
public record Setting(String name, String defaultValue, String description) {

  public String flag() {
    return "--" + name;
  }

  public String envVar() {
    return "TWEEN_" + name.toUpperCase(Locale.ROOT).replace('-', '_');
  }
}
