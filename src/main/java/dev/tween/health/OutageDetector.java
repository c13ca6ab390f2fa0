package dev.tween.health;

import java.util.Optional;

/**
 * Recognises, in a failure some code did not expect to be an outage, a dependency that went away:
 * e.g. {@code SQLITE_FULL} or an encoder's write error when the disk under the data directory is
 * full. Callers then wait for the dependency instead of failing the request or the task.
 */
@FunctionalInterface
public interface OutageDetector {
  OutageDetector NONE = failure -> Optional.empty();

  /** The outage behind {@code failure}, if any (its circuit is opened as a side effect). */
  Optional<DependencyUnavailableException> outageBehind(Throwable failure);
}
