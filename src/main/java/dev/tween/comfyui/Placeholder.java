package dev.tween.comfyui;

import java.util.Arrays;
import java.util.Optional;

/**
 * The values tween writes into a workflow, each a whole JSON string value {@code "{{name}}"} in the
 * template. Text placeholders become strings, the others numbers.
 */
enum Placeholder {
  FIRST_IMAGE("first_image", true, true),
  LAST_IMAGE("last_image", true, true),
  PROMPT("prompt", true, true),
  NEGATIVE_PROMPT("negative_prompt", true, false),
  SEED("seed", false, false),
  WIDTH("width", false, false),
  HEIGHT("height", false, false),
  FRAMES("frames", false, false),
  FPS("fps", false, false);

  private final String key;
  private final boolean text;
  private final boolean required;

  Placeholder(String key, boolean text, boolean required) {
    this.key = key;
    this.text = text;
    this.required = required;
  }

  /** As written in a workflow: {@code {{first_image}}}. */
  String token() {
    return "{{" + key + "}}";
  }

  boolean text() {
    return text;
  }

  boolean required() {
    return required;
  }

  static Optional<Placeholder> byKey(String key) {
    return Arrays.stream(values()).filter(p -> p.key.equals(key)).findFirst();
  }

  /** The placeholder a whole string value is, if any. */
  static Optional<Placeholder> byToken(String value) {
    return Arrays.stream(values()).filter(p -> p.token().equals(value)).findFirst();
  }
}
