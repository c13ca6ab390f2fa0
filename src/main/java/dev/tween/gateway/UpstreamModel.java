package dev.tween.gateway;

import dev.tween.generate.Model;
import dev.tween.generate.VideoOptions;
import java.time.Duration;
import java.util.List;

/**
 * A generator whose work runs upstream, on one or more deployments: what the API checks at submit,
 * how many operations a task makes, and how its deployments are opened.
 */
public interface UpstreamModel extends Model {

  /**
   * Operations a task makes: 1 where one operation returns every sample (Veo), the sample count
   * where each operation makes one (Omni, ComfyUI). Each holds one of its deployment's {@code
   * max_concurrent} slots while it runs.
   */
  int operations(VideoOptions options);

  /** Typical time of one operation, for progress and eta while upstream reports none. */
  Duration typical();

  /**
   * The first wait between polls of an operation; it grows 1.5× per poll up to {@link #pollMax}.
   */
  default Duration pollFirst() {
    return Duration.ofSeconds(1);
  }

  /** The longest wait between two polls of one operation. */
  default Duration pollMax() {
    return Duration.ofSeconds(10);
  }

  /** Notes for the task's reason that follow from the options alone (e.g. a field set aside). */
  default List<String> notes(VideoOptions options) {
    return List.of();
  }
}
