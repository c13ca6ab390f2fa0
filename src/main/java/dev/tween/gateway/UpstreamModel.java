package dev.tween.gateway;

import dev.tween.generate.Capabilities;
import dev.tween.generate.UnsupportedRequestException;
import dev.tween.generate.VideoOptions;
import java.time.Duration;
import java.util.List;

/**
 * A generator whose work runs upstream, on one or more deployments: what the API checks at submit,
 * how many operations a task makes, and how its deployments are opened.
 */
public interface UpstreamModel {

  /** The generator's name, e.g. {@code veo}; deployments name it in their {@code generator}. */
  String name();

  /** Rejects, before anything is queued, a request this model can never serve. */
  default void checkSupported(VideoOptions options) throws UnsupportedRequestException {}

  /** Which content fields this model honours; the others are reported as ignored. */
  default Capabilities capabilities() {
    return Capabilities.all(name());
  }

  /**
   * Operations a task makes: 1 where one operation returns every sample (Veo), the sample count
   * where each operation makes one (Omni, ComfyUI). Each holds one of its deployment's {@code
   * max_concurrent} slots while it runs.
   */
  int operations(VideoOptions options);

  /** Typical time of one operation, for progress and eta while upstream reports none. */
  Duration typical();

  /** Notes for the task's reason that follow from the options alone (e.g. a field set aside). */
  default List<String> notes(VideoOptions options) {
    return List.of();
  }
}
