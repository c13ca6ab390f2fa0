package dev.tween.generate;

/**
 * What the API knows of a generator, whether it renders here ({@link Generator}) or upstream: its
 * name, what it refuses at submit, and which content fields it honours.
 */
public interface Model {

  /** Short name used in routes, logs and metrics, e.g. {@code local} or {@code veo}. */
  String name();

  /**
   * Rejects, before anything is queued, a request this generator can never serve (for example a
   * field the upstream backend does not accept). The message names the field and the rule.
   */
  default void checkSupported(VideoOptions options) throws UnsupportedRequestException {}

  /**
   * Which content fields this generator honours; the others are reported as ignored in the task's
   * reason.
   */
  default Capabilities capabilities() {
    return Capabilities.all(name());
  }
}
